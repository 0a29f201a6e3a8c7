"""Build notebooks/03_prosody.ipynb: the melody and rhythm of speech, and why clones miss them."""

from nbtools import code, md, write

SETUP = '''
import csv
import os
from pathlib import Path

import matplotlib
matplotlib.use("module://matplotlib_inline.backend_inline")
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Audio, HTML, Markdown, display

from toolkit import media
from toolkit.analysis import (estimate_f0, find_pauses, intensity_db, speaking_rate, speech_segments,
                              syllable_nuclei, voice_profile)
from toolkit.audio import Clip, load
from toolkit.plot import plot_f0, plot_pauses, plot_prosody
from toolkit.prosody import world_analyze, world_synthesize

SR = 16000
REPO = media.MEDIA_DIR.parent
SPEECH_DIR = Path(os.environ.get("VOICE_LAB_SPEECH", REPO.parent / "shared" / "speech"))
MANIFEST = SPEECH_DIR / "manifest.csv"
HAVE_SPEECH = MANIFEST.exists()
ROWS = list(csv.DictReader(open(MANIFEST, newline="", encoding="utf-8"))) if HAVE_SPEECH else []


def speech_clip(file="vctk_p228__heldout3__p228_003.wav"):
    """A sentence of real speech from ../shared/speech, else the lab's own example speech (or a synthetic vowel)."""
    row = next((r for r in ROWS if r["file"] == file), None)
    if row is not None:
        print(f"{row['speaker']} ({row['gender']}): “{row['transcript'] or '(no transcript)'}”")
        return Clip.from_file(SPEECH_DIR / file, sr=SR, name=row["speaker"], source="file")
    speech = media.list_examples("speech")
    key = speech[0].key if speech else "sweep_100_400"
    print(f"../shared/speech not found: using the lab's example clip {key!r}")
    return media.example(key, sr=SR)


def players(**clips):
    """Audio players side by side, labelled."""
    cells = "".join(
        f"<td style='padding:4px 12px'><b>{label}</b><br>{Audio(y, rate=sr)._repr_html_()}</td>"
        for label, (y, sr) in clips.items())
    display(HTML(f"<table><tr>{cells}</tr></table>"))


clip = speech_clip()
y, sr = clip.y, clip.sr
'''

cells = [
    md("""
    # 03 · Prosody: the melody and rhythm of a voice

    Two people can read the same sentence with the same words and still sound nothing alike, and the same person
    can say "fine" and mean three different things. What changes is **prosody**: how high the voice is and how it
    moves (intonation), how loud each part is (stress), and how the speech is timed (rate, rhythm, pauses).

    Zero-shot voice clones are good at the *sound* of a voice, its timbre, and much worse at its prosody. This
    notebook shows why.

    **In this notebook you will**

    1. measure the pitch contour, intensity, syllable rate and pauses of real speech, without a transcript;
    2. compare typical values for men and women with published figures;
    3. turn a statement into a question, and a slow reading into a fast one, by changing only prosody;
    4. exaggerate or flatten intonation, change tempo and pauses with sliders, and hear the result next to the
       original, on the lab's speech and on your own voice;
    5. see, with numbers, why clones get timbre right and delivery wrong, and how punctuation steers delivery.

    The code lives in `toolkit.analysis` (measurements), `toolkit.prosody` (changes, through the WORLD vocoder),
    `toolkit.plot` and `toolkit.ui.prosody_explorer`.
    """),
    code(SETUP),
    md("""
    ## 1. Pitch, intensity and rhythm of one sentence

    * **Pitch** is the rate at which the vocal folds vibrate, the fundamental frequency **F0**. We track it with
      Praat's autocorrelation method (`estimate_f0`): fast, and it decides for each 10 ms frame whether the
      voice is on at all. Gaps in the contour are consonants without voicing (/s/, /f/, /p/...) and pauses.
      We plot F0 in **semitones** (12 per octave), because that is how we hear pitch steps: a rise from 100
      to 200 Hz sounds as big as one from 200 to 400 Hz.
    * **Intensity** is the level of short frames in dB. Every syllable has a loud vowel at its core, its
      **nucleus**.
    * **Rhythm**: we count syllable nuclei as intensity peaks that stand out from their surroundings and are
      voiced (de Jong & Wempe 2009; `syllable_nuclei`), and find **pauses** as silences of 0.25 s or more
      between stretches of speech (`find_pauses`). Syllables per second of speech is the speaking rate.
    """),
    code("""
    track = estimate_f0(y, sr=sr)
    drawn = plot_prosody(y, sr=sr, f0_track=track, title=f"{clip.name}: F0 (top), intensity with syllable nuclei (red)")
    plt.show()
    nuclei = syllable_nuclei(y, sr=sr)
    pauses = find_pauses(y, sr=sr)
    profile = voice_profile(y, sr=sr)
    print(f"{len(nuclei)} syllable nuclei in {profile.speech_duration_s:.2f} s of speech → "
          f"{profile.speaking_rate_syl_per_s:.2f} syllables/s")
    print("pauses:", ", ".join(f"{p.start_s:.2f} s ({p.duration_s * 1000:.0f} ms)" for p in pauses) or "none")
    print(f"F0 median {profile.f0_median_hz:.0f} Hz, range (5th-95th percentile) {profile.f0_range_st:.1f} semitones")
    players(original=(y, sr))
    """),
    md("""
    Listen while you look. F0 tends to start high and drift down over each phrase (**declination**), jumps up on
    the stressed words, and falls at the end of the sentence. The pauses sit at the commas. The whole
    measurement summary is `voice_profile`, also on the command line: `python -m toolkit analyze CLIP --json`.

    ## 2. Typical values, and how these voices compare

    How high is a "normal" voice? Classic measurements of vowels read in isolation found average F0 of
    **132 Hz for men and 223 Hz for women** (Peterson & Barney 1952), and 131 and 220 Hz forty years later
    (Hillenbrand et al. 1995). Running speech sits a little lower; textbook ranges are roughly **85-155 Hz for
    adult men and 165-255 Hz for adult women** (Baken & Orlikoff 2000). The difference comes mostly from the
    length and mass of the vocal folds, which grow at puberty in boys.

    Speaking rates: across read texts in seven languages, Pellegrino, Coupé & Marsico (2011) counted
    **about 6.2 syllables per second for English** (5.2 for Mandarin, 7.8 for Japanese, which has short
    syllables). Counting syllables automatically from intensity peaks misses some unstressed, reduced syllables,
    so our detector reads a little low (in the lab's tests, within 5-18 % of the syllables in the transcript).
    Silent pauses in read speech typically last 0.2-1 s (Campione & Véronis 2002).

    Below: the measurements for every English clip in `../shared/speech`.
    """),
    code("""
    profiles = []
    for row in ROWS:
        if row["language"] == "en" and row["gender"] in ("F", "M"):
            yy, _ = load(SPEECH_DIR / row["file"], sr=SR)
            profiles.append((row, voice_profile(yy, sr=SR)))
    if not profiles:  # no real speech beside the repo: measure the lab's own clip so the cells below still run
        profiles = [({"speaker": clip.name, "gender": "?", "file": clip.name, "transcript": ""}, profile)]

    lines = ["| speaker | sex | F0 median (Hz) | F0 range (st) | rate (syl/s) | pauses | F1/F2/F3 (Hz) |", "|---" * 7 + "|"]
    for row, p in profiles:
        f = "/".join(f"{x:.0f}" for x in p.formants_hz)
        lines.append(f"| {row['speaker']} | {row['gender']} | {p.f0_median_hz:.0f} | {p.f0_range_st:.1f} | "
                     f"{p.speaking_rate_syl_per_s:.2f} | {p.pause_count} | {f} |")
    display(Markdown("\\n".join(lines)))

    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 3), layout="constrained")
    for g, color in (("F", "C3"), ("M", "C0"), ("?", "C2")):
        f0 = [p.f0_median_hz for r, p in profiles if r["gender"] == g]
        rate = [p.speaking_rate_syl_per_s for r, p in profiles if r["gender"] == g]
        if f0:
            a1.scatter(f0, np.full(len(f0), {"F": 1, "M": 0, "?": 0.5}[g]), color=color, label=g)
            a2.hist(rate, bins=np.arange(2.5, 6.5, 0.25), color=color, alpha=0.6, label=g)
    a1.axvspan(85, 155, color="C0", alpha=0.1)
    a1.axvspan(165, 255, color="C3", alpha=0.1)
    a1.set(yticks=[0, 1], yticklabels=["men", "women"], xlabel="F0 median (Hz)",
           title="Clips vs textbook ranges (shaded)")
    a2.set(xlabel="speaking rate (syllables/s of speech)", ylabel="clips", title="Speaking rates")
    a2.legend()
    plt.show()
    """),
    md("""
    ### The lab's own expressive clips

    The lab ships example references in different styles (made by `media/make_media.py`; see `media/index.csv`).
    Which measures move with the style? Before you trust a number, check the voiced fraction: a **whisper** has
    no vocal-fold vibration, so there is almost no F0 to measure, and the syllable counter, which only accepts
    voiced peaks, finds next to nothing. A measurement is only as good as the assumptions it was built on.
    """),
    code("""
    style_keys = [e.key for e in media.list_examples("speech") if e.key == "ref_good" or e.key.startswith("expressive_")]
    lines = ["| clip | F0 median (Hz) | F0 range (st) | rate (syl/s) | voiced | HNR (dB) | loudness (LUFS) |",
             "|---" * 7 + "|"]
    for key in style_keys:
        ex = media.example(key, sr=SR)
        p = voice_profile(ex.y, sr=ex.sr)
        lines.append(f"| {key} | {p.f0_median_hz:.0f} | {p.f0_range_st:.1f} | {p.speaking_rate_syl_per_s:.2f} | "
                     f"{p.voiced_fraction:.0%} | {p.hnr_db:.1f} | {p.loudness_lufs:.1f} |")
    display(Markdown("\\n".join(lines) if style_keys else "(no speech examples in media/ yet: run `make media`)"))
    """),
    md("""
    ## 3. Statement or question? Same words, different melody

    In English a yes/no question usually ends with a **rise** in pitch and a statement with a **fall**. To hear
    exactly that difference and nothing else, we take the recorded statement and change *only* the end of its
    pitch contour, with `toolkit.prosody`:

    1. the WORLD vocoder (Morise et al. 2016) splits the recording into the pitch contour, the spectral envelope
       (timbre) and the aperiodicity (breathiness), 5 ms at a time (`world_analyze`);
    2. we bend the last half second of the contour up by 7 semitones (`final_rise_st=7`) and leave everything
       else alone;
    3. WORLD puts the three streams back together (`world_synthesize`).

    So the "question" below is **made by us from the real statement**, not spoken by the speaker. A real
    question would also differ in timing, loudness and in where the rise starts (on the last stressed syllable):
    listen for how convincing a pure pitch change is, and for what gives it away.
    """),
    code("""
    analysis = world_analyze(y, sr=sr)
    statement = world_synthesize(analysis)                        # resynthesised, unchanged
    question = world_synthesize(analysis, final_rise_st=7.0, final_rise_s=0.5)
    firm = world_synthesize(analysis, final_rise_st=-4.0, final_rise_s=0.5)

    fig, ax = plt.subplots(figsize=(10, 3), layout="constrained")
    for res, label, color in ((firm, "deeper final fall", "C0"), (statement, "statement (as read)", "0.4"),
                              (question, "question (final rise)", "C3")):
        ax.plot(res.times_s, 12 * np.log2(res.f0_hz / 100), color=color, label=label, lw=1.6)
    t_end = analysis.times_s[analysis.f0_hz > 0][-1]
    ax.set(xlim=(max(0, t_end - 2.5), t_end + 0.2), xlabel="time (s)", ylabel="F0 (st re 100 Hz)",
           title="The last 2.5 s: only the end of the contour differs")
    ax.legend(fontsize=8)
    plt.show()
    players(**{"statement (resynthesised)": (statement.y, sr), "question (final rise)": (question.y, sr),
               "deeper final fall": (firm.y, sr)})
    """),
    md("""
    ## 4. Fast and slow: the same reading at three tempos

    Tempo is changed the same way: WORLD's frames are re-timed (more or fewer frames per second of output)
    while pitch and timbre stay as they were, so nothing sounds like a tape played at the wrong speed. We
    measure the results with the same analysis as above.

    A person speaking fast does more than squeeze time uniformly: they shorten vowels more than consonants,
    drop pauses, reduce unstressed syllables ("gonna"), and often raise their pitch a little. Our uniform
    stretch does none of that, which is why the fast version sounds like a fast-forward rather than a hurried
    speaker.
    """),
    code("""
    versions = {"slow (×0.75)": 0.75, "as read": 1.0, "fast (×1.4)": 1.4}
    results = {}
    for label, tempo in versions.items():
        res = world_synthesize(analysis, tempo=tempo)
        results[label] = res
        p = voice_profile(res.y, sr=sr)
        print(f"{label:13s} {res.duration_s:5.2f} s  rate {p.speaking_rate_syl_per_s:.2f} syl/s  "
              f"F0 median {p.f0_median_hz:5.1f} Hz  pauses {p.pause_count} (mean {p.mean_pause_s:.2f} s)")
    players(**{k: (v.y, sr) for k, v in results.items()})
    """),
    md("""
    Look at the pause counts: the detector calls any silence of 0.25 s or more a pause. Slowed down, some stop
    closures (the silence before a /p/ or /k/) stretch past that threshold and count as pauses; sped up, short
    pauses shrink below it and vanish. Fixed thresholds are a convention, not a law of speech: report them with
    your numbers.
    """),
    md("""
    ## 5. Pauses

    Pauses carry structure: they mark phrase ends and give the listener time. Stretch this speaker's pauses,
    remove most of them, or insert new ones where there were none (here, in the middle of the two longest
    stretches of speech, which sounds wrong because a pause inside a phrase breaks it).
    """),
    code("""
    segments = speech_segments(y, sr=sr)
    longest = sorted(segments, key=lambda s: s[1] - s[0])[-2:]
    inside = sorted((a + b) / 2 for a, b in longest)
    variants = {
        "pauses ×2.5": world_synthesize(analysis, pause_scale=2.5),
        "pauses ×0.3": world_synthesize(analysis, pause_scale=0.3),
        "2 pauses inserted": world_synthesize(analysis, insert_pauses_at_s=inside, inserted_pause_s=0.5),
    }
    fig, axes = plt.subplots(len(variants) + 1, 1, figsize=(10, 5), layout="constrained", sharex=True)
    for ax, (label, yy) in zip(axes, [("original", y)] + [(k, v.y) for k, v in variants.items()]):
        t = np.arange(len(yy)) / sr
        ax.plot(t, yy, lw=0.4, color="0.3")
        found = find_pauses(yy, sr=sr)
        plot_pauses(found, ax=ax, color="C1", alpha=0.4)
        ax.set_ylabel(label, rotation=0, ha="right", fontsize=8)
        ax.set_yticks([])
        print(f"{label:18s} {len(yy) / sr:5.2f} s, {len(found)} pauses: "
              + ", ".join(f"{p.duration_s:.2f} s" for p in found))
    axes[-1].set_xlabel("time (s)")
    plt.show()
    players(original=(y, sr), **{k: (v.y, sr) for k, v in variants.items()})
    """),
    md("""
    ## 6. Try it: exaggerate, flatten, speed up, pause

    The explorer analyses the clip once and resynthesises on every slider move. Things to try:

    * **Intonation range** 0: a robot-like monotone. 2-2.5: an over-animated storyteller.
    * **Pitch** ±4 semitones: the same person, higher or lower; ±12: a different-sounding person,
      because the formants did not move with the pitch.
    * **Tempo** 1.5 with **pause length** 0: breathless; tempo 0.8 with pauses ×2: deliberate.
    """),
    code("""
    from toolkit.ui.prosody_explorer import ProsodyExplorer

    explorer = ProsodyExplorer(Clip(y, sr, name=clip.name))
    display(explorer.widget)
    """),
    md("""
    ## 7. Your own voice

    Record a sentence (5-8 s works best), say it once as a statement and once as a question, or upload a file.
    The explorer and the measurements switch to your recording as soon as it arrives.
    """),
    code("""
    import ipywidgets as widgets

    from toolkit.ui.recorder import RecorderPanel

    speech_examples = media.list_examples("speech")
    recorder = RecorderPanel(initial_example=speech_examples[0].key if speech_examples else "sweep_100_400")
    my_explorer = ProsodyExplorer(recorder.clip)
    my_profile = widgets.HTML()


    def show_profile(new_clip):
        p = voice_profile(new_clip.y, sr=new_clip.sr)
        my_profile.value = (f"<b>{new_clip.name}</b>: F0 median {p.f0_median_hz:.0f} Hz, range {p.f0_range_st:.1f} st, "
                            f"{p.speaking_rate_syl_per_s:.1f} syllables/s, {p.pause_count} pauses")


    show_profile(recorder.clip)
    recorder.on_clip(my_explorer.set_clip)
    recorder.on_clip(show_profile)
    display(recorder.widget, my_profile, my_explorer.widget)
    if recorder.clip.source == "example":
        print(f"No recording yet: using the example clip “{recorder.clip.name}”. Record yourself above to replace it.")
    """),
    md("""
    ## 8. Why zero-shot clones get timbre right and prosody wrong

    A zero-shot cloning system hears a few seconds of your voice and must speak new text "as you". Two kinds of
    information are mixed in that reference:

    * **Who is speaking**: vocal-tract length (formants), the voice source (F0 level, spectral tilt,
      breathiness). These hardly change from sentence to sentence, so a speaker encoder can average them over the
      whole clip into one vector, and the model reproduces them well.
    * **How this sentence was said**: intonation, rate, pauses, emphasis. These depend on the words, their
      meaning, the situation and the mood, so they *change* from one sentence to the next. For new text the
      reference does not say how the speaker would deliver it. The model falls back on what its duration and
      pitch predictors learned from thousands of other speakers: a plausible, average delivery in the right voice.

    We can see the split in our own measurements. For each measure, how much of its variation across the clips
    in `../shared/speech` is *between* speakers (the rest is between sentences by the same speaker)? A measure
    that is mostly between speakers is part of the voice; one that varies as much within a speaker belongs to
    the sentence.
    """),
    code("""
    measures = {
        "F0 median (semitones)": lambda p: 12 * np.log2(p.f0_median_hz / 100),
        "F3 (log Hz)": lambda p: np.log(p.formants_hz[2]),
        "spectral tilt (dB/oct)": lambda p: p.spectral_tilt_db_per_oct,
        "F0 range (semitones)": lambda p: p.f0_range_st,
        "speaking rate (syl/s)": lambda p: p.speaking_rate_syl_per_s,
        "pauses per second": lambda p: p.pause_count / p.duration_s,
    }
    by_speaker = {}
    for row, p in profiles:
        by_speaker.setdefault(row["speaker"], []).append(p)
    repeated = {s: ps for s, ps in by_speaker.items() if len(ps) >= 2}
    shares = {}
    if len(repeated) >= 2:
        for name, f in measures.items():
            within = np.mean([np.var([f(p) for p in ps], ddof=1) for ps in repeated.values()])
            between = np.var([np.mean([f(p) for p in ps]) for ps in by_speaker.values()], ddof=1)
            shares[name] = between / (between + within)
        fig, ax = plt.subplots(figsize=(8, 2.8), layout="constrained")
        ax.barh(list(shares), list(shares.values()), color=["C2"] * 3 + ["C1"] * 3)
        ax.set(xlim=(0, 1), xlabel="share of variance between speakers",
               title=f"{len(by_speaker)} speakers, {len(profiles)} clips: green = voice, orange = delivery")
        ax.invert_yaxis()
        plt.show()
        for name, s in shares.items():
            print(f"{name:24s} {s:.2f}")
    else:
        print("Needs ../shared/speech (several clips per speaker) for this comparison.")
    """),
    md("""
    With only a few speakers and two to four sentences each, the exact numbers are rough, but the pattern is the
    one the cloning literature describes: F0 level, formants and tilt identify the speaker, while speaking rate
    and pausing vary from sentence to sentence about as much as from speaker to speaker. That is what a clone
    cannot copy from a short reference: it is not in there. F0 *range* sits closer to the voice side in this
    small set: some speakers are habitually livelier than others. A clone that falls back on an average
    delivery therefore sounds flatter than a lively speaker and livelier than a calm one.

    ### Punctuation steers delivery

    What a TTS model *can* see is the text, and punctuation is the strongest prosodic hint in it. The lab's
    phonemizer (`toolkit.synth.phonemize`, espeak-ng) keeps punctuation marks in the phoneme string the model
    reads, so "?", "," and "..." reach the network:
    """),
    code("""
    try:
        from toolkit.synth import phonemize

        for text in ("You are coming home tonight.", "You are coming home tonight?",
                     "Let's eat, grandma!", "Let's eat grandma..."):
            print(f"{text:32s} → {phonemize(text)}")
    except Exception as exc:  # the phonemizer ships with the synth extras; explain instead of failing
        print(f"(phonemizer not available here: {exc})")
    """),
    md("""
    A model trained on read speech has learned that a comma brings a short pause and a continuation rise, a full
    stop a fall and a longer pause, a question mark (on a yes/no question) a final rise, and an ellipsis a
    hesitant, trailing delivery. So when a clone "sounds like you but reads like someone else", the cheapest
    fixes are in the text: break long sentences, add commas where you would breathe, use "?" and "!" the way you
    would speak them. Some systems go further and let you pass a **prosody reference** (a clip of how to say it)
    or explicit pitch, duration and energy controls (FastSpeech 2's variance adaptor); `toolkit.prosody` is a
    hand-operated version of such controls.

    ## Summary

    * Prosody is pitch (F0 contour), loudness and timing (rate, rhythm, pauses). All of it can be measured
      without a transcript.
    * Adult men speak around 85-155 Hz, women around 165-255 Hz; English is read at roughly 5-6 syllables per
      second.
    * With a vocoder you can change prosody and keep the voice: a final rise turns a statement into a question,
      re-timing frames changes tempo without changing pitch.
    * Voice identity lives in the stable measures; delivery changes with every sentence. That is why zero-shot
      clones copy timbre and guess prosody, and why punctuation matters.

    ## Further reading and sources

    * Ultravox (2025). How does zero-shot voice cloning work? (the lab's seed text: prosody, accents and emotion
      as the limits of zero-shot cloning).
    * N. H. de Jong, T. Wempe (2009). Praat script to detect syllable nuclei and measure speech rate automatically.
      *Behavior Research Methods* 41(2), 385-390. doi:10.3758/BRM.41.2.385.
    * P. Boersma (1993). Accurate short-term analysis of the fundamental frequency and the harmonics-to-noise ratio
      of a sampled sound. *IFA Proceedings* 17, 97-110.
    * M. Morise, F. Yokomori, K. Ozawa (2016). WORLD: a vocoder-based high-quality speech synthesis system for
      real-time applications. *IEICE Trans. Inf. & Syst.* E99-D(7), 1877-1884.
    * G. E. Peterson, H. L. Barney (1952). Control methods used in a study of the vowels. *J. Acoust. Soc. Am.*
      24(2), 175-184.
    * J. Hillenbrand, L. A. Getty, M. J. Clark, K. Wheeler (1995). Acoustic characteristics of American English
      vowels. *J. Acoust. Soc. Am.* 97(5), 3099-3111.
    * R. J. Baken, R. F. Orlikoff (2000). *Clinical Measurement of Speech and Voice*, 2nd ed., Singular.
    * F. Pellegrino, C. Coupé, E. Marsico (2011). A cross-language perspective on speech information rate.
      *Language* 87(3), 539-558.
    * E. Campione, J. Véronis (2002). A large-scale multilingual study of silent pause duration. *Speech Prosody
      2002*, Aix-en-Provence.
    * D. R. Ladd (2008). *Intonational Phonology*, 2nd ed., Cambridge University Press.
    * Y. Ren et al. (2021). FastSpeech 2: fast and high-quality end-to-end text to speech. *ICLR 2021*.
      arXiv:2006.04558. Explicit pitch, energy and duration predictors.
    * Y. Jadoul, B. Thompson, B. de Boer (2018). Introducing Parselmouth: a Python interface to Praat. *Journal of
      Phonetics* 71, 1-15.

    ## Credits

    Real speech: VCTK (CC BY 4.0, CSTR, University of Edinburgh) and LibriSpeech (CC BY 4.0, from LibriVox
    recordings in the public domain), read from `../shared/speech` and never copied into the repository; see its
    `manifest.csv`. The question, tempo and pause versions are made by the lab's `toolkit.prosody` from those
    recordings. Pitch, intensity and formants by Praat through Parselmouth; resynthesis by WORLD through pyworld;
    phonemes by espeak-ng. The text is the lab's own.
    """),
]

if __name__ == "__main__":
    write("03_prosody", cells, title="03 · Prosody")
