"""One process: warm the models, then clone speakers in turn with a fresh cache (like bench_clone); one line per clone."""
import hashlib, json, os, sys, time, tempfile, resource
os.environ["VOICE_LAB_CACHE"] = tempfile.mkdtemp(prefix="abfit_")
import numpy as np
from toolkit.audio import load
from toolkit.clone import clone, encode_reference
from toolkit.synth.kokoro import get_tts
from toolkit.embedding import get_encoder
from toolkit.clone.voice_space import get_voice_space
tts = get_tts(); get_voice_space(); get_encoder()
tts.synthesize("Warming up the model.", style=tts.voices[sorted(tts.voices)[0]])
text = "The small ferry crossed the bay twice a day, carrying letters, bread and a few sleepy passengers."
h = lambda a: hashlib.sha1(np.ascontiguousarray(a).tobytes()).hexdigest()[:10]
for n, f in enumerate(sys.argv[2:]):
    y, sr = load(f)
    enc = encode_reference(y, sr=sr)
    r0 = resource.getrusage(resource.RUSAGE_SELF); c0 = time.process_time()
    res = clone(enc, sr=16000, text=text, use_cache=False, evaluate=False)
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    t = res.timings_s
    print(json.dumps({"tag": sys.argv[1], "n": n, "ref": os.path.basename(f)[:18], "fit_s": round(t["fit"], 2),
      "gen_s": round(t["generate"], 2), "shape_s": round(t["shape"], 2),
      "rtf_wall": round((t["generate"] + t["shape"]) / res.duration_s, 3), "rtf_cpu": round((t["generate_cpu"] + t["shape_cpu"]) / res.duration_s, 3),
      "clone_cpu": round(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime, 2), "sys": round(r1.ru_stime - r0.ru_stime, 2),
      "maxrss_mb": round(r1.ru_maxrss / 1024), "load1": round(os.getloadavg()[0], 2), "hash_final": h(res.y), "best": res.trace.best,
      "shaping_log": [round(r["similarity"], 6) for r in res.shaping_log]}), flush=True)
