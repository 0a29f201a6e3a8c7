"""Build notebooks/03_prosody.ipynb: the melody and rhythm of speech, and why clones miss them."""

from nbtools import code, exercises, md, quiz, time_and_glossary, write

SETUP = '''
import matplotlib
matplotlib.use("module://matplotlib_inline.backend_inline")
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown, display

from toolkit import media
from toolkit.analysis import (estimate_f0, find_pauses, intensity_db, speaking_rate, speech_segments,
                              syllable_nuclei, voice_profile)
from toolkit.audio import Clip
from toolkit.plot import plot_f0, plot_pauses, plot_prosody
from toolkit.prosody import world_analyze, world_synthesize
from toolkit.ui.notebook import players, voice

SR = 16000
clip = voice("vctk_p228_b", sr=SR)   # a real recording in media/: VCTK p228 (CC BY 4.0)
y, sr = clip.y, clip.sr
'''

EXERCISES = exercises([
    ("A question without the rise.", """
     In section 3, **predict** whether `final_rise_st=3` still sounds like a question. Then try 3, 5 and 12.
     """, """
     Around 3 semitones most listeners hear a tentative statement or "list intonation"; from about 5 a
     question; 12 (an octave) sounds exaggerated or sarcastic. Real questions also change timing and loudness,
     so a pitch bend alone is never fully convincing.
     """),
    ("Fast is not just shorter.", """
     Compare the `fast (×1.4)` version with the lab's `expressive_fast` clip (`players(fast=media.example(
     "expressive_fast"))`). **Predict** which has more pauses per second and a higher F0 median, then measure
     both with `voice_profile`.
     """, """
     The uniform stretch keeps the speaker's F0 exactly and shortens every pause by the same factor. A voice
     *produced* fast (Kokoro at speed 1.6) drops pauses altogether and changes its melody. Real hurried speech
     also reduces vowels: a re-timing cannot do that.
     """),
    ("Where is the voice?", """
     In section 8, **predict** which bar gets *shorter* if you only keep the women's clips (filter `profiles`
     on `e.gender == "F"` before the loop), then run it.
     """, """
     F0 median loses most: with one sex left, a big part of the between-speaker F0 difference (men vs women)
     is gone. Measures of delivery (rate, pauses) change little; they were never about who is speaking.
     """),
    ("Punctuation, your way.", """
     Add `"You are coming home tonight..."` and `"You are coming home TONIGHT?"` to `texts` in the punctuation
     cell. **Predict** what the ellipsis and the capitals do, then listen.
     """, """
     The ellipsis reaches the model (espeak keeps it as punctuation), but with Kokoro's Japanese-trained voices
     the change is small, as with "?". Capitals do nothing: the phonemizer lowercases the text, so emphasis by
     capitals is lost. Some
     commercial systems read capitals or markup (SSML `<emphasis>`) as stress; Kokoro does not.
     """),
    ("Your declination.", """
     Record a long sentence of your own in section 7. **Predict** how many semitones your F0 falls from the
     first to the last stressed syllable, then read it off the contour.
     """, """
     Typical read English falls 2-5 semitones over a phrase (declination), with jumps up on stressed words.
     If yours rises, you probably read it as a question or a list.
     """),
])

QUIZ = quiz([
    ("Which measure tells most about *who* is speaking?",
     ["Speaking rate", "F0 median and formants", "Number of pauses"], 1,
     "F0 level and vocal-tract resonances are stable for a speaker; rate and pauses change with every "
     "sentence (section 8)."),
    ("Why do zero-shot clones often get the voice right but the delivery wrong?",
     ["The reference is too loud", "How a new sentence should be said is not in the reference; the model "
      "falls back on an average delivery", "Clones cannot change pitch"], 1,
     "The reference shows how *that* sentence was said. For new text the duration and pitch predictors use "
     "what they learned from other speakers."),
    ("Kokoro said 'You are coming home tonight?' with a falling end. What does that show?",
     ["Question marks never reach TTS models", "Punctuation is a hint the model interprets as its training "
      "taught it; this Japanese-trained model learned no English question rise", "The pitch tracker is broken"], 1,
     "The '?' is in the phoneme string the model reads. Models trained on lots of English rise on yes/no "
     "questions; ours does not, so check by ear before relying on punctuation."),
    ("A whisper gives an F0 median of nan and almost no syllables. Why?",
     ["The clip is broken", "Whispers have no vocal-fold vibration, so there is no F0 and the syllable "
      "counter accepts only voiced peaks", "The level is too low"], 1,
     "A measurement is only as good as its assumptions: voicing is one of them."),
])

cells = [
    md("""
    # 03 · Prosody: the melody and rhythm of a voice

    TIME

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
    5. see, with numbers, why clones get timbre right and delivery wrong, and how far punctuation steers delivery.

    The code lives in `toolkit.analysis` (measurements), `toolkit.prosody` (changes, through the WORLD vocoder),
    `toolkit.plot` and `toolkit.ui.prosody_explorer`. The voices are real recordings shipped in `media/`.
    """.replace("TIME", time_and_glossary("about 60 minutes, plus 20 for the exercises"))),
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

    Below: the measurements for every English recording the lab ships in `media/` (six women's and men's
    voices have two sentences each, the others one), and then one figure of speaking rates across languages.
    """),
    code("""
    english = media.voices(language="en")
    profiles = [(e, voice_profile(media.example(e.key, sr=SR).y, sr=SR)) for e in english]

    lines = ["| clip | sex | F0 median (Hz) | F0 range (st) | rate (syl/s) | pauses | F1/F2/F3 (Hz) |", "|---" * 7 + "|"]
    for e, p in profiles:
        f = "/".join(f"{x:.0f}" for x in p.formants_hz)
        lines.append(f"| {e.key} | {e.gender} | {p.f0_median_hz:.0f} | {p.f0_range_st:.1f} | "
                     f"{p.speaking_rate_syl_per_s:.2f} | {p.pause_count} | {f} |")
    display(Markdown("\\n".join(lines)))

    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 3), layout="constrained")
    for g, color in (("F", "C3"), ("M", "C0")):
        f0 = [p.f0_median_hz for e, p in profiles if e.gender == g]
        rate = [p.speaking_rate_syl_per_s for e, p in profiles if e.gender == g]
        if f0:
            a1.scatter(f0, np.full(len(f0), {"F": 1, "M": 0}[g]), color=color, label=g)
            a2.hist(rate, bins=np.arange(2.5, 6.5, 0.25), color=color, alpha=0.6, label=g)
    a1.axvspan(85, 155, color="C0", alpha=0.1)
    a1.axvspan(165, 255, color="C3", alpha=0.1)
    a1.set(yticks=[0, 1], yticklabels=["men", "women"], xlabel="F0 median (Hz)",
           title="Clips vs textbook ranges (shaded)")
    a2.set(xlabel="speaking rate (syllables/s of speech)", ylabel="clips", title="Speaking rates")
    a2.legend()
    plt.show()
    players([(f"{e.key} ({e.gender})", media.example(e.key, sr=SR)) for e in english if e.key.endswith("_ref")][:4])
    """),
    md("""
    ### Speaking rate across languages: one published figure, and ours

    Pellegrino, Coupé & Marsico (2011, *Language* 87(3), Table 2) had 59 speakers read the same 20 short texts
    translated into seven languages and counted syllables per second. Languages with simple syllables (Japanese,
    Spanish) pack more of them into a second; languages with complex syllables or tones (German, Mandarin) fewer,
    so the *information* per second ends up similar. The bars are their means; the dots are the lab's own
    detector on its real recordings (our English readers, the Japanese and Mandarin clips). Our detector counts
    only voiced intensity peaks, so it reads lower than a count from the transcript.
    """),
    code("""
    published = {"English": 6.19, "French": 7.18, "German": 5.97, "Italian": 6.99, "Japanese": 7.84,
                 "Mandarin": 5.18, "Spanish": 7.82}   # syllables/s, Pellegrino et al. 2011, Table 2
    ours = {"English": [p.speaking_rate_syl_per_s for e, p in profiles],
            "Japanese": [voice_profile(media.example(e.key, sr=SR).y, sr=SR).speaking_rate_syl_per_s
                         for e in media.voices(language="ja")],
            "Mandarin": [voice_profile(media.example(e.key, sr=SR).y, sr=SR).speaking_rate_syl_per_s
                         for e in media.voices(language="zh")]}
    fig, ax = plt.subplots(figsize=(9, 3), layout="constrained")
    names = list(published)
    ax.bar(names, [published[n] for n in names], color="0.8", label="Pellegrino et al. 2011 (read speech)")
    for i, n in enumerate(names):
        if ours.get(n):
            ax.scatter(np.full(len(ours[n]), i), ours[n], color="C3", zorder=3,
                       label="this lab's detector on media/ recordings" if n == "English" else None)
    ax.set(ylabel="syllables per second", title="Speaking rate by language: published means and our measurements")
    ax.legend(fontsize=8, loc="lower right")
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

    recorder = RecorderPanel(initial_example="vctk_p228_b")
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

    We can see the split in our own measurements. For each measure, how much of its variation across the lab's
    English recordings is *between* speakers (the rest is between two sentences by the same speaker)? A measure
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
    for e, p in profiles:
        by_speaker.setdefault(e.speaker, []).append(p)
    repeated = {s: ps for s, ps in by_speaker.items() if len(ps) >= 2}
    shares = {}
    if len(repeated) >= 2:   # media/ ships two sentences for six speakers
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
        print(f"only {len(repeated)} speakers with two sentences in media/: run `python media/make_media.py`")
    """),
    md("""
    With eight speakers and one or two sentences each, the exact numbers are rough, but the pattern is the
    one the cloning literature describes: F0 level, formants and tilt identify the speaker, while speaking rate
    varies from sentence to sentence about as much as from speaker to speaker. That is what a clone cannot
    copy from a short reference: it is not in there. Pausing lands in between here (with two sentences per
    speaker, one long pause moves it a lot), and F0 *range* sits on the voice side in this small set: some
    speakers are habitually livelier than others. A clone that falls back on an average
    delivery therefore sounds flatter than a lively speaker and livelier than a calm one.

    ### Does punctuation steer delivery?

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
    Now listen. The lab's Kokoro voice says the same four words with a full stop, a question mark, an
    exclamation mark, and with a comma that continues into a second clause. Nothing else changes: same voice,
    same speed. The figure shows the pitch of each; the numbers are the F0 change over the last 0.4 s of voicing
    (for the comma version that is the end of the second clause: compare its contour at the comma instead).
    """),
    code("""
    from toolkit.synth import get_tts

    tts = get_tts()
    kokoro_voice = tts.voices["jf_alpha"]
    texts = {".": "You are coming home tonight.", "?": "You are coming home tonight?",
             "!": "You are coming home tonight!", ",": "You are coming home tonight, and then we talk."}
    said = {mark: tts.synthesize(text, style=kokoro_voice) for mark, text in texts.items()}
    fig, ax = plt.subplots(figsize=(10, 3), layout="constrained")
    for (mark, (yy, sr_tts)), color in zip(said.items(), ("0.3", "C3", "C1", "C0")):
        tr = estimate_f0(yy, sr=sr_tts)
        f0 = np.where(tr.voiced, tr.f0_hz, np.nan)
        ax.plot(tr.times_s, 12 * np.log2(f0 / 100), color=color, label=repr(texts[mark]))
        t_v = tr.times_s[tr.voiced]
        vals = 12 * np.log2(tr.f0_hz[tr.voiced & (tr.times_s > t_v[-1] - 0.4)] / 100)
        print(f"{texts[mark]:48s} {len(yy) / sr_tts:.2f} s; F0 over the last 0.4 s of voicing {vals[-1] - vals[0]:+.1f} st")
    ax.set(xlabel="time (s)", ylabel="F0 (st re 100 Hz)", title="Same words, different punctuation: Kokoro's pitch")
    ax.legend(fontsize=7)
    plt.show()
    players({f"“{texts[m]}”": said[m] for m in texts})
    """),
    md("""
    Look at the numbers before you believe the rule. In English read speech a comma brings a short pause and a
    continuation rise, a full stop a fall, a question mark (on a yes/no question) a final rise. A model trained
    on lots of English learns that from its data. **The lab's Kokoro voices did not**: they were trained on
    Japanese, and here every version falls at the end by about the same amount, the question included; only
    the length changes a little. The marks do reach the model (the phoneme strings above), but what it does
    with them is whatever its training taught it. So punctuation is a *hint*, not a control: with a
    well-trained English model, breaking long sentences, adding commas where you would breathe and using "?"
    and "!" the way you would speak them are the cheapest fixes for a clone that "sounds like you but reads like
    someone else"; with a model like ours, listen, and expect little. Some systems go further and let you pass a **prosody reference** (a clip of how to say it)
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
      clones copy timbre and guess prosody; punctuation is a hint whose effect depends on what the model learned.

    """),
    EXERCISES,
    QUIZ,
    md("""
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

    Real speech, shipped in `media/` (credits in `media/README.md`): VCTK (CC BY 4.0, CSTR, University of
    Edinburgh), LibriSpeech (CC BY 4.0, (c) 2014 Vassil Panayotov, from LibriVox recordings in the public
    domain), FLEURS (CC BY 4.0, Google) and AISHELL-1 (Apache-2.0). Punctuation examples: Kokoro-82M
    (Apache-2.0). The question, tempo and pause versions are made by the lab's `toolkit.prosody` from those
    recordings. Pitch, intensity and formants by Praat through Parselmouth; resynthesis by WORLD through pyworld;
    phonemes by espeak-ng. The text is the lab's own.
    """),
]

if __name__ == "__main__":
    write("03_prosody", cells, title="03 · Prosody")
