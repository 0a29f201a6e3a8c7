"""Does emotion carry? Thorsten's eight emotions cloned with and without the emotion map.

For each emotion clip in ``../shared/expressive`` (Thorsten Müller, one German sentence, "Mist, wieder nichts
geschafft."): clone the voice from that clip and let the clone say the same sentence in German
(``language="de"``), once with the emotion map off and once on (:func:`toolkit.clone.emotion.carry_emotion`,
``emotion=1``). The clips are 1.6-3.1 s, under the engine's 2 s of speech, so each reference is the clip
three times in a row (its own silences at the joins); the reference's measures are taken on the clip itself.

Measures, one implementation each (:func:`toolkit.clone.emotion.prosodic_features`): F0 range (5th-95th
percentile, semitones), intensity variability (SD of the intensity contour over speech, dB) and syllable rate
(syllable nuclei per second of speech). Printed per emotion for the reference and both clones, then the
Pearson correlation across emotions between reference and clone for each measure: what carries.

``--english N`` also clones N English speakers of ``../shared/speech`` saying a held-out sentence with the map
off and on, and scores each clone's GE2E similarity to the speaker's held-out recordings (does the map cost
speaker similarity?).

    PYTHONPATH=. nice -n 15 .venv/bin/python benchmarks/bench_emotion.py --english 4 \\
        --json benchmarks/results/emotion.json --markdown docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
#: What Thorsten says in every clip (Thorsten-Voice 2021.06 emotional samples).
THORSTEN_TEXT = "Mist, wieder nichts geschafft."
from bench_clone import FALLBACK_TEXTS, english_speakers, held_out_target, replace_section  # noqa: E402  (held-out sentences of speakers without a transcript)

MEASURES = ("f0_range_st", "intensity_sd_db", "rate_syl_per_s")
LABELS = {"f0_range_st": "F0 range (st)", "intensity_sd_db": "intensity SD (dB)", "rate_syl_per_s": "rate (syl/s)"}
START, END = "<!-- emotion:start -->", "<!-- emotion:end -->"


def measures(y, *, sr) -> dict:
    from toolkit.clone.emotion import FEATURES, prosodic_features

    f = dict(zip(FEATURES, prosodic_features(y, sr=sr)))
    return {k: float(f[k]) for k in MEASURES}


def run_thorsten(folder: Path, *, method: str, refine_steps: int, strength: float) -> dict:
    from toolkit.audio import load
    from toolkit.clone import clone
    from toolkit.errors import ToolkitError

    rows = list(csv.DictReader(open(folder / "manifest.csv", encoding="utf-8")))
    out = {}
    for r in rows:
        y, sr = load(folder / r["file"], sr=16000)
        ref = np.tile(y, 3)
        row = {"reference": measures(y, sr=sr)}
        for name, e in (("off", 0.0), ("map", strength)):
            t0 = time.perf_counter()
            try:
                res = clone(ref, sr=sr, text=THORSTEN_TEXT, language="de", method=method, refine_steps=refine_steps,
                            enhance="off", emotion=e, evaluate="final")
            except ToolkitError as exc:
                row["refused"] = str(exc)
                break
            row[name] = {**measures(res.y, sr=res.sr), "similarity": float(res.similarity.get("shaped", res.similarity.get("generated", np.nan))),
                         "seconds": time.perf_counter() - t0,
                         "emotion_shift": float(res.voice.scores.get("emotion_shift", 0.0)),
                         "similarity_fit": float(res.voice.scores.get("similarity_fit", np.nan)),
                         "similarity_fit_emotion": float(res.voice.scores.get("similarity_fit_emotion", np.nan))}
        out[r["emotion"]] = row
        print(r["emotion"], json.dumps(row), flush=True)
    return out


def correlations(per: dict) -> dict:
    ok = [e for e, r in per.items() if "refused" not in r]
    out = {}
    for m in MEASURES:
        a = np.array([per[e]["reference"][m] for e in ok])
        for name in ("off", "map"):
            b = np.array([per[e][name][m] for e in ok])
            good = np.isfinite(a) & np.isfinite(b)
            out[f"{m}_{name}"] = float(np.corrcoef(a[good], b[good])[0, 1]) if good.sum() > 2 else float("nan")
    return out


def run_english(speech: Path, *, n: int, method: str, refine_steps: int, strength: float) -> dict:
    from toolkit.audio import load, resample
    from toolkit.clone import clone, encode_reference
    from toolkit.embedding import embed

    rows = list(csv.DictReader(open(speech / "manifest.csv", encoding="utf-8")))
    spk = english_speakers(rows)[:n]
    out = {}
    for i, s in enumerate(spk):
        held = [r for r in rows if r["speaker"] == s and r["role"] == "heldout"]
        target = held_out_target(speech, rows, s)
        ref = next(r for r in rows if r["speaker"] == s and r["role"] == "ref")
        enc = encode_reference(load(speech / ref["file"], sr=16000)[0], sr=16000)
        text = next((r["transcript"] for r in held if r["transcript"]), FALLBACK_TEXTS[i % len(FALLBACK_TEXTS)])
        out[s] = {}
        for name, e in (("off", 0.0), ("map", strength)):
            res = clone(enc, sr=16000, text=text, method=method, refine_steps=refine_steps, evaluate=False, emotion=e)
            y16 = np.clip(resample(res.y, sr=res.sr, target_sr=16000), -1, 1)
            out[s][name] = {"similarity": float(embed(y16, sr=16000) @ target), **measures(y16, sr=16000),
                            "emotion_shift": float(res.voice.scores.get("emotion_shift", 0.0))}
        out[s]["reference"] = measures(enc.y, sr=enc.sr)
        print(s, json.dumps(out[s]), flush=True)
    return out


def markdown(out: dict) -> str:
    per, cor = out["thorsten"], out["correlations"]
    L = [START, "## Emotion: what carries from Thorsten's eight emotions (`benchmarks/bench_emotion.py`)", "",
         f"Measured {out['date']} on 2 cores, load average {out['load']} at the start and {out.get('load_end', '?')} at "
         f"the end ({out['note']}; quality figures do not depend on the load). The voice is fitted from each emotion's "
         f"clip (repeated three times: the clips are 1.6-3.1 s) with `method={out['thorsten_method']!r}, "
         f"refine_steps={out['refine_steps']}`, cleaning off, and says the clip's own sentence in German "
         f"(\"{THORSTEN_TEXT}\", `language=\"de\"`). *off*: the engine as it was (median F0 and loudness carried by "
         f"shaping, pace by the speed factor); *map*: the prosody half also moved by the emotion map "
         f"(`emotion={out['strength']:g}`, `toolkit/clone/emotion.py`). Measures by "
         "`toolkit.clone.emotion.prosodic_features` on the reference clip and on each clone. GE2E is scored on the "
         "fitting sentence (English, about 5 s) before and after the map: the 1.5 s German clone is too short to "
         "judge.", "",
         "| emotion | " + " | ".join(f"{LABELS[m]} ref / off / map" for m in MEASURES)
         + " | GE2E to the reference, fitting sentence, off / map |",
         "|---|" + "---|" * (len(MEASURES) + 1)]
    for e, r in per.items():
        if "refused" in r:
            L.append(f"| {e} | " + " | ".join(f"{r['reference'][m]:.1f} / — / —" for m in MEASURES)
                     + f" | refused: {r['refused'][:60]} |")
            continue
        L.append(f"| {e} | " + " | ".join(f"{r['reference'][m]:.1f} / {r['off'][m]:.1f} / {r['map'][m]:.1f}"
                                         for m in MEASURES)
                 + f" | {r['off']['similarity_fit']:.3f} / {r['map']['similarity_fit_emotion']:.3f} |")
    L += ["", "Correlation across the emotions cloned (Pearson r, reference vs clone):", "",
          "| measure | off | map |", "|---|---|---|"]
    L += [f"| {LABELS[m]} | {cor[m + '_off']:+.2f} | {cor[m + '_map']:+.2f} |" for m in MEASURES]
    if out.get("english"):
        en = out["english"]
        so, sm = [en[s]["off"]["similarity"] for s in en], [en[s]["map"]["similarity"] for s in en]
        L += ["", f"English speakers of `../shared/speech` ({len(en)}, a held-out sentence, GE2E to the mean of the "
              f"speaker's held-out recordings; `method={out['method']!r}, refine_steps={out['refine_steps']}`), "
              "map off → on:", "",
              "| speaker | GE2E off | GE2E map | F0 range ref / off / map (st) |", "|---|---|---|---|"]
        L += [f"| {s} | {en[s]['off']['similarity']:.3f} | {en[s]['map']['similarity']:.3f} | "
              f"{en[s]['reference']['f0_range_st']:.1f} / {en[s]['off']['f0_range_st']:.1f} / "
              f"{en[s]['map']['f0_range_st']:.1f} |" for s in en]
        L += [f"| mean | {np.mean(so):.3f} | {np.mean(sm):.3f} | |"]
    L += ["", *out.get("conclusions", []), END, ""]
    return "\n".join(L)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--expressive", type=Path, default=REPO.parent / "shared" / "expressive")
    ap.add_argument("--speech", type=Path, default=REPO.parent / "shared" / "speech")
    ap.add_argument("--english", type=int, default=0, help="also check GE2E on this many English speakers")
    ap.add_argument("--method", default="learned+refined")
    ap.add_argument("--thorsten-method", default="learned", help="fitting for Thorsten's clips (one synthesis)")
    ap.add_argument("--refine-steps", type=int, default=1)
    ap.add_argument("--strength", type=float, default=1.0)
    ap.add_argument("--note", default="machine shared with other jobs")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--markdown", type=Path)
    ap.add_argument("--from-json", type=Path, help="only rewrite the Markdown from an earlier --json")
    ap.add_argument("--conclusions", type=Path, help="a text file of what the numbers say, added under the tables")
    args = ap.parse_args(argv)
    if args.from_json:
        out = json.loads(args.from_json.read_text())
        if args.english:  # add (or redo) the English check to an earlier run
            os.environ["VOICE_LAB_CACHE"] = tempfile.mkdtemp(prefix="bench_emotion_cache_")
            out["english_load"] = round(os.getloadavg()[0], 1)
            out["english"] = run_english(args.speech, n=args.english, method=args.method,
                                         refine_steps=args.refine_steps, strength=args.strength)
            out["english_load_end"] = round(os.getloadavg()[0], 1)
    else:
        if not (args.expressive / "manifest.csv").exists():
            raise SystemExit(f"no expressive speech at {args.expressive}")
        os.environ["VOICE_LAB_CACHE"] = tempfile.mkdtemp(prefix="bench_emotion_cache_")
        out = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "load": os.getloadavg()[0].__round__(1),
               "note": args.note, "method": args.method, "thorsten_method": args.thorsten_method, "refine_steps": args.refine_steps, "strength": args.strength}
        out["thorsten"] = run_thorsten(args.expressive, method=args.thorsten_method, refine_steps=args.refine_steps,
                                       strength=args.strength)
        out["correlations"] = correlations(out["thorsten"])
        if args.english:
            out["english"] = run_english(args.speech, n=args.english, method=args.method,
                                         refine_steps=args.refine_steps, strength=args.strength)
        out["load_end"] = round(os.getloadavg()[0], 1)
    if args.conclusions:
        out["conclusions"] = args.conclusions.read_text(encoding="utf-8").strip().splitlines()
    print(markdown(out))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=1))
    if args.markdown:
        replace_section(args.markdown, markdown(out), start=START, end=END)


if __name__ == "__main__":
    main()
