"""Build notebooks/06_expressive_and_cross_lingual.ipynb: what carries from the reference into the clone."""

from nbtools import code, exercises, md, quiz, time_and_glossary, write

SETUP = '''
import matplotlib
matplotlib.use("module://matplotlib_inline.backend_inline")
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display

from toolkit import media
from toolkit.analysis import voice_profile
from toolkit.audio import Clip
from toolkit.clone import clone, encode_reference
from toolkit.embedding import embed, similarity
from toolkit.errors import ToolkitError
from toolkit.prosody import modify_prosody
from toolkit.ui.notebook import players, voice

FAST = dict(method="learned", refine_steps=1)  # one synthesis to fit: enough to show what carries over
# A real recording shipped in media/: VCTK speaker p228, Southern English, female (CC BY 4.0).
ref = voice("vctk_p228_ref", sr=16000)
print(f"{ref.duration_s:.1f} s")
'''

EXERCISES = exercises([
    ("Emotion by numbers.", """
     Before looking at section 1's figure, **predict** the order of the eight emotions by median F0, highest
     first. Then compare with the bars.
     """, """
     In these recordings disgusted, angry, surprised and amused are highest, then drunk and sleepy, and neutral
     is lowest; the whisper has no meaningful F0. Most people predict sleepy and disgusted at the bottom: one
     speaker's acting does not follow the textbook, which is why emotion research measures many speakers
     (Scherer 2003).
     """),
    ("Louder reference, louder clone?", """
     In section 2, change the lively variant's `gain_db` to +10. **Predict** the clone's loudness, then run
     it and listen to the pair (the players do not normalise).
     """, """
     The reference gets about 6 dB louder, the clone much less: a limiter keeps the clone's peaks below full
     scale, so for loud references it stays quieter. Volume carries over for soft references, only partly for
     loud ones.
     """),
    ("A real angry reference.", """
     Thorsten's clips are too short to clone. Make one long enough: `np.concatenate` the angry clip three times
     with 0.3 s of silence between, and clone it with `FAST`. **Predict** what carries over.
     """, """
     Loudness and the median pitch carry, the anger does not; the clone is
     German only in timbre, since it reads English with espeak's English. And repeating one sentence three times is a poor reference: the
     pace check may warn, and the embedding sees only one sentence's sounds.
     """),
    ("Accent across languages.", """
     In section 4, clone the Scottish speaker `vctk_p260_ref` instead and make it speak Spanish. **Predict**
     whether you will hear a Scottish accent in the Spanish.
     """, """
     No: pronunciation comes from espeak-ng's Spanish rules, so the accent is textbook Spanish in a voice
     somewhat like his. A commercial system that learns pronunciation with the voice would keep some of his
     accent, as the vendor guide describes.
     """),
])

QUIZ = quiz([
    ("Why do the players in this notebook not normalise the audio?",
     ["To save memory", "Volume is one of the things being tested; a normalised player would make a soft "
      "reference sound as loud as a loud one", "Normalising is not possible in Jupyter"], 1,
     "IPython's Audio normalises each clip to full scale by default; normalize=False keeps the real level."),
    ("Which cue of an expressive reference does this engine carry into the clone most reliably?",
     ["The emotion itself", "Loudness and median pitch; pace roughly, within the speed factor's range",
      "Whispering"], 1,
     "Section 2's lines: loudness is a gain at the end of the pipeline and the median F0 is always moved to the "
     "reference's (within ±8 semitones); pace goes through a syllable detector and the speed factor's "
     "0.75-1.8; whispered references are refused."),
    ("A clone speaks French in an English speaker's voice. Whose accent does it have?",
     ["The English speaker's", "Textbook French: pronunciation comes from espeak-ng's rules for French",
      "No accent at all"], 1,
     "Our engine separates voice (style vector) from pronunciation (a rule-based phonemiser)."),
])

cells = [
    md("""
    # 06 · Expressive and cross-lingual cloning: what carries over from the reference?

    TIME

    Commercial cloning guides (the vendor guide this lab was built from) promise that *the tone, pace and volume
    of the reference carry into the clone*, and that a clone speaking another language keeps the speaker's
    accent, with language-matched references doing best. Here we **measure** what our engine carries over, with
    the analysis toolkit, instead of taking it on trust.

    **In this notebook you will**

    1. measure what real emotional speech looks like: one speaker, one sentence, eight emotions;
    2. make calm, neutral and lively versions of one reference (slower/faster, narrower/wider pitch, softer/louder),
       clone each, and measure speaking rate, pitch and loudness of reference and clone;
    3. clone the lab's angry, whispered and fast references and listen to reference → clone pairs;
    4. make the same voice speak French and Spanish, and measure how similar it stays;
    5. compare language-matched and mismatched references;
    6. "say it like me": put your own timing and melody on the clone of a sentence you recorded;
    7. give the clone an accent on purpose: the text read with another language's sounds;
    8. move the voice's prosody half toward the reference's emotion, and measure what carries;
    9. see honestly which of the guide's promises this engine keeps, and which it does not.

    Every player here plays at the clip's **real level** (no normalising), because volume is one of the things
    we test: a soft reference must sound soft.
    """.replace("TIME", time_and_glossary("about 45 minutes, plus 20 for the exercises (each clone takes up to a "
                                          "minute on a laptop)"))),
    code(SETUP),
    md("""
    ## 1 · Real emotional speech: Thorsten's eight emotions

    Thorsten Müller recorded one German sentence in eight emotions for his open voice dataset (CC0, shipped in
    `media/`). The words are the same each time, so everything that differs is *how* he says it. Listen first,
    then look at four measures per emotion: median F0, F0 range (5th-95th percentile, in semitones), loudness
    and syllable rate. The clips are 1.6-3 s long, so rates are rough (a few syllables each).
    """),
    code("""
    emotions = media.voices(emotion=None, language="de")
    thorsten = {e.emotion: media.example(e.key, sr=16000) for e in emotions}
    players({k: c for k, c in list(thorsten.items())[:4]})
    players({k: c for k, c in list(thorsten.items())[4:]})
    prof = {k: voice_profile(c.y, sr=c.sr) for k, c in thorsten.items()}
    fig, axes = plt.subplots(1, 4, figsize=(12, 3), layout="constrained")
    names = list(prof)
    for ax, (title, get) in zip(axes, [("median F0 (Hz)", lambda p: p.f0_median_hz),
                                       ("F0 range (semitones)", lambda p: p.f0_range_st),
                                       ("loudness (LUFS)", lambda p: p.loudness_lufs),
                                       ("syllable rate (syl/s)", lambda p: p.speaking_rate_syl_per_s)]):
        pitch = title.startswith(("median F0", "F0 range"))
        # a clip with almost no voicing (the whisper) has no pitch to speak of: leave its bar out, say why
        vals = [np.nan if pitch and prof[n].voiced_fraction < 0.2 else get(prof[n]) for n in names]
        ax.bar(names, np.nan_to_num(vals), color=["0.5" if n == "neutral" else "C0" for n in names])
        for i, v in enumerate(vals):
            if np.isnan(v):
                ax.text(i, 0, "no voicing", rotation=90, ha="center", va="bottom", fontsize=7)
        ax.set_title(title, fontsize=9)
        ax.tick_params(axis="x", rotation=60, labelsize=8)
    fig.suptitle("One speaker, one sentence, eight emotions (Thorsten-Voice, CC0)", fontsize=10)
    plt.show()
    for n in names:
        p = prof[n]
        print(f"{n:10s} F0 {p.f0_median_hz:5.0f} Hz, range {p.f0_range_st:4.1f} st, {p.loudness_lufs:6.1f} LUFS, "
              f"{p.speaking_rate_syl_per_s:4.1f} syl/s, voiced {p.voiced_fraction:.0%}")
    """),
    md("""
    Read the bars against the grey *neutral* one (numbers printed under the figure). Anger and surprise put
    F0 far above neutral, 8-10 semitones here, and widen its range; the sleepy reading has a narrower range
    and about half the syllable rate, but its F0 is *not* lower than neutral: one speaker's acting does not
    follow every textbook pattern. Disgust comes out slow and high. The whisper is over 20 dB softer and has
    almost no voicing (4 %), so it has no pitch to measure: its F0 bars are left out, and the F0 printed for it
    comes from a few stray frames; the drunk reading is soft too. These are the cues a clone would have to carry to sound angry or sleepy; the next sections measure
    how many of them our engine carries. (The clips are too short, under 3 s, to be references themselves:
    notebook 04's `duration` check would fail them.)

    ## 2 · Speed, pitch and volume of the reference

    We cannot ask the speaker to act, so we change the recording with the prosody tools of notebook 03
    (`toolkit.prosody.modify_prosody`, WORLD resynthesis) and a gain: a *calm* reading (slower, flatter, softer)
    and a *lively* one (faster, wider and higher pitch, louder). Each version is cloned on its own. The engine
    sees pace through the syllable rate (it sets Kokoro's speed factor), pitch through F0 level and range
    (shaping) and volume through loudness (shaping).
    """),
    code("""
    variants = {
        "calm": dict(tempo=0.8, range_scale=0.6, pitch_shift_st=-1.0, gain_db=-10.0),
        "neutral": dict(tempo=1.0, range_scale=1.0, pitch_shift_st=0.0, gain_db=0.0),
        "lively": dict(tempo=1.25, range_scale=1.5, pitch_shift_st=2.0, gain_db=4.0),
    }
    TEXT = "I have some news for you. We are going to the seaside on Saturday."
    refs, clones = {}, {}
    for name, v in variants.items():
        y = ref.y if name == "neutral" else modify_prosody(ref.y, sr=ref.sr, tempo=v["tempo"],
                                                          range_scale=v["range_scale"], pitch_shift_st=v["pitch_shift_st"]).y
        y = np.clip(y * 10 ** (v["gain_db"] / 20), -1, 1).astype(np.float32)
        refs[name] = y
        # use_cache=False: fit afresh, so the shaping log below says which steps the engine kept
        clones[name] = clone(y, sr=ref.sr, text=TEXT, shape_steps=("f0", "loudness"), use_cache=False, **FAST)
    for k in refs:   # reference → clone pairs, at their real levels
        players({f"{k}: reference": (refs[k], ref.sr), f"{k}: clone": (clones[k].y, clones[k].sr)})
    """),
    code("""
    rows = []
    for name in variants:
        pr, pc = clones[name].encoding.profile, voice_profile(clones[name].y, sr=clones[name].sr)
        rows.append((name, pr, pc))
        print(f"{name:8s} rate {pr.speaking_rate_syl_per_s:4.1f} → {pc.speaking_rate_syl_per_s:4.1f} syl/s | "
              f"F0 {pr.f0_median_hz:5.0f} → {pc.f0_median_hz:5.0f} Hz | range {pr.f0_range_st:4.1f} → {pc.f0_range_st:4.1f} st | "
              f"loudness {pr.loudness_lufs:5.1f} → {pc.loudness_lufs:5.1f} LUFS")
    from toolkit.clone.pipeline import delivery_notes

    for name in variants:   # what the engine set from each reference's delivery while fitting
        print(f"{name:8s} carried: {' · '.join(delivery_notes(clones[name].voice))}")
    fig, axes = plt.subplots(1, 4, figsize=(11, 2.8), layout="constrained")
    for ax, (title, get) in zip(axes, [("speaking rate (syl/s)", lambda p: p.speaking_rate_syl_per_s),
                                       ("median F0 (Hz)", lambda p: p.f0_median_hz),
                                       ("F0 range (semitones)", lambda p: p.f0_range_st),
                                       ("loudness (LUFS)", lambda p: p.loudness_lufs)]):
        x = np.arange(len(rows))
        ax.bar(x - 0.2, [get(r[1]) for r in rows], 0.4, label="reference")
        ax.bar(x + 0.2, [get(r[2]) for r in rows], 0.4, label="clone")
        ax.set_xticks(x, [r[0] for r in rows]); ax.set_title(title, fontsize=9)
    axes[0].legend(fontsize=7);
    """),
    md("""
    **Reading the table** (the numbers are measured anew every time the notebook runs; check each sentence
    against them). **Loudness** carries most reliably: the engine's last step is a gain, so soft references
    give soft clones; for loud ones the clone can stay a dB or two quieter, because a limiter keeps its peaks
    below full scale. **Pitch** carries too: whatever voice was fitted, the engine always moves its median F0 to
    the reference's with WORLD (the "pitch" line printed above), by at most ±8 semitones. Before issue 17 it did
    so only when the speaker encoder found the clone more similar with it, and a higher reference could give a
    *lower* clone, because another voice was fitted. The F0 *range* is still tried and kept only if it helps.
    **Pace** follows, roughly: the speed factor is the reference's syllable rate over the fitted voice's own rate,
    with the syllable detector's sluggishness undone (it registers about two thirds of a tempo change), and
    limited to 0.75-1.8 (about 3 to 7 syllables per second). Kokoro itself is asked for at most ×1.3: its
    phoneme durations are whole frames, and near ×4/3 they jump (a two-frame sound becomes one), which makes the
    speech much harder to understand, so WORLD's time-scaling in the shaping stage does the rest of a faster pace
    (`toolkit.clone.generate.split_speed`). The detector counts syllables
    from intensity dips, so on some readers it is off by 15 % either way (`benchmarks/bench_clone.py
    --carry-over` measures how far each change carries).

    **Emotion** is more than these numbers: voice quality, timing of emphasis, the shape of each phrase. Kokoro's
    style vector has a prosody half, but our learned map was trained to find *who* is speaking, not *how they
    feel*, so the clone inherits the average pitch, pace and loudness of an emotional reference, not its emotion.
    That is the seed article's "emotion and speaker identity not clearly disentangled", measured.

    ## 3 · The lab's expressive references, cloned

    The vendor guide demonstrates expressive cloning with pairs: an angry reference and its angry clone, a
    whispered one, a fast one. The lab ships three such references (`expressive_angry`, `expressive_whisper`,
    `expressive_fast` in `media/`, made with Kokoro and WORLD, see `media/index.csv`). Here is what our engine
    does with each. Predict before you listen: which will keep its style?
    """),
    code("""
    TEXT_EXPR = "Please bring the blue folder to the meeting room before noon."
    expr = {}
    for key in ("expressive_angry", "expressive_whisper", "expressive_fast"):
        r = media.example(key, sr=16000)
        try:
            out = clone(r.y, sr=r.sr, text=TEXT_EXPR, shape_steps=("f0", "loudness"), **FAST)
        except ToolkitError as exc:   # the engine says why it cannot use a reference, in one line
            print(f"{key}: not cloned: {exc}")
            players({f"{key}: reference": r})
            continue
        expr[key] = (r, out)
        pr, pc = out.encoding.profile, voice_profile(out.y, sr=out.sr)
        print(f"{key:19s} rate {pr.speaking_rate_syl_per_s:4.1f} → {pc.speaking_rate_syl_per_s:4.1f} syl/s | "
              f"F0 {pr.f0_median_hz:5.0f} → {pc.f0_median_hz:5.0f} Hz | "
              f"loudness {pr.loudness_lufs:5.1f} → {pc.loudness_lufs:5.1f} LUFS | voiced {pr.voiced_fraction:.0%} → "
              f"{pc.voiced_fraction:.0%}")
        players({f"{key}: reference": r, "clone": (out.y, out.sr)})
    for key, (r, out) in expr.items():   # did each cue carry? (within 1 semitone, 2 LU, 15 % of the rate)
        pr, pc = out.encoding.profile, voice_profile(out.y, sr=out.sr)
        verdict = {"pitch": abs(12 * np.log2(pc.f0_median_hz / pr.f0_median_hz)) <= 1.0,
                   "loudness": abs(pc.loudness_lufs - pr.loudness_lufs) <= 2.0,
                   "pace": abs(pc.speaking_rate_syl_per_s / pr.speaking_rate_syl_per_s - 1) <= 0.15}
        print(f"{key:19s} carried: {', '.join(k for k, v in verdict.items() if v) or 'nothing'}; "
              f"not carried: {', '.join(k for k, v in verdict.items() if not v) or 'nothing'}")
    """),
    md("""
    What to listen for, and what the last lines say. Loudness and median pitch carry; pace as far as the
    syllable detector and the speed range allow (see section 2), so an angry reference
    does not give an angry clone: its urgency and exclamation shape are not among the things the engine
    copies, and a fast reference gives a faster clone only as far as the syllable detector registers it. The whisper is refused outright: the engine
    needs voiced speech to measure pitch and fit a voice, and says so in one line instead of producing
    something misleading. A prompt-prefix model that continues the reference's own audio tokens can whisper
    back; an embedding-conditioned one like ours cannot. This is where the vendor guide's promise ("the tone,
    pace and volume of the reference carry into the clone") holds for systems trained on expressive speech,
    and largely fails for ours.
    """),
    md("""
    ## 4 · Cross-lingual cloning

    The fitted voice is a style vector, and Kokoro reads phonemes of any language espeak-ng knows, so one voice can
    speak several languages. (espeak-ng's Japanese voice does not read kanji, so we use French and Spanish here.)
    How similar does it stay to the English reference?
    """),
    code("""
    enc = clones["neutral"].encoding
    texts = {"en": "The weather was lovely, so we had lunch in the garden.",
             "fr": "Il faisait très beau, alors nous avons déjeuné dans le jardin.",
             "es": "Hacía muy buen tiempo, así que comimos en el jardín."}
    cross = {lang: clone(enc, sr=enc.sr, text=t, language=lang, shape_steps=("f0", "loudness"), **FAST)
             for lang, t in texts.items()}
    for lang, r in cross.items():
        print(f"{lang}: similarity to the English reference {r.similarity.get('shaped', r.similarity['generated']):.3f}")
    players(**{lang: (r.y, r.sr) for lang, r in cross.items()})
    """),
    md("""
    **Accent.** In commercial systems the clone keeps the speaker's accent in the new language, because the model
    learned pronunciation and voice together. Ours does not: the pronunciation comes from espeak-ng's rules for
    the *target* language, so our clone speaks French with a textbook French pronunciation in an English
    speaker's voice (section 7 adds an accent control that puts one in on purpose). (The speaker encoder is also somewhat language-dependent, which is part of why the
    similarity above changes with the language.)

    So the guides' advice cuts both ways. A clone of a South Indian English speaker made by such a system keeps
    that accent when it speaks Hindi or Tamil: it is *their* voice, accent included. If you need a clone that
    sounds native in a language, the reference should come from a native speaker of that language.

    ## 5 · Language-matched references

    Does a reference in the output language help? The lab ships one Japanese speaker (FLEURS, CC BY 4.0); we fit a
    voice to them
    and compare: the clone speaking Japanese (written in kana, which espeak-ng can read) and speaking English, each
    scored against the Japanese reference.
    """),
    code("""
    ja_clip = voice("fleurs_ja_1837", sr=16000)   # one Japanese reference from media/ (FLEURS, CC BY 4.0)
    ja_enc = encode_reference(ja_clip.y, sr=16000)
    same = clone(ja_enc, sr=16000, text="きょうは とても いい てんき です。こうえんへ さんぽに いきましょう。",
                 language="ja", shape_steps=("f0", "loudness"), **FAST)
    other = clone(ja_enc, sr=16000, text="The weather is lovely today. Let us go for a walk in the park.",
                  language="en", shape_steps=("f0", "loudness"), **FAST)
    s_same = same.similarity.get("shaped", same.similarity["generated"])
    s_other = other.similarity.get("shaped", other.similarity["generated"])
    print(f"Japanese reference → Japanese clone: {s_same:.3f}; → English clone: {s_other:.3f}")
    print("language-matched did better" if s_same > s_other else "here the mismatched language scored as well or better")
    players({"Japanese reference": ja_clip, "clone, Japanese": (same.y, same.sr), "clone, English": (other.y, other.sr)})
    """),
    md("""
    ## 6 · "Say it like me": your timing and melody on the clone

    Sections 2 and 3 showed that a clone gets the voice but not the **delivery**: Kokoro decides where to linger
    and where the pitch goes. When the reference says *the very sentence* the clone should say, the delivery can
    be copied over, frame by frame:

    1. **Align** the clone with the recording by **dynamic time warping** (DTW) on MFCCs (the shape of the
       log-mel spectrum, mean-normalised so that two different voices can be compared). The path says which
       moment of the clone matches each moment of the recording.
    2. **Re-time** the clone's WORLD frames along that path: it now takes the recording's durations and pauses.
    3. **Re-pitch**: the recording's F0 contour, in semitones around *its* median, is laid on the clone's own
       median. The clone keeps its pitch level and timbre (that is the voice); it takes the timing and the
       melody (that is the delivery).

    This is `toolkit.clone.delivery.transfer_delivery`; in the app it is the *Say it like me* toggle.
    """),
    code("""
    from toolkit.clone.delivery import transfer_delivery, transfer_scores
    from toolkit.plot import plot_delivery

    said = next(e.transcript for e in media.list_examples() if e.key == "vctk_p228_ref")  # what p228 says
    plain = clone(ref.y, sr=ref.sr, text=said, shape_steps=("f0", "loudness"), **FAST)
    like = transfer_delivery(plain.y, sr=plain.sr, reference_y=ref.y, reference_sr=ref.sr)
    s = transfer_scores(like)  # measured again on the output audio
    print(f"speech length vs the recording: {s['duration_error_before']:.0%} off before, {s['duration_error_after']:.0%} after")
    print(f"pitch contour vs the recording (rank correlation): {s['pitch_corr_before']:.2f} before, "
          f"{s['pitch_corr_timing']:.2f} with the timing only, {s['pitch_corr_after']:.2f} after")
    print(f"median F0: recording {like.reference_median_f0_hz:.0f} Hz, clone {like.clone_median_f0_hz:.0f} Hz, "
          f"after {like.clone_median_f0_hz * 2 ** (s['median_shift_st'] / 12):.0f} Hz (the clone's pitch is kept)")
    fig, ax = plt.subplots(figsize=(9, 3), layout="constrained")
    plot_delivery(like, ax=ax)
    plt.show()
    players({"the recording": ref, "clone, its own way": (plain.y, plain.sr), "clone, said like you": (like.y, like.sr)})
    """),
    md("""
    Read the figure as three melodies on one time axis, each in semitones around its own median: the thick grey
    line is the recording, the dashed blue one the clone as Kokoro said it (stretched evenly to the same length),
    the red one the clone after the transfer. Before, the clone's rises and falls land at other moments, so the
    correlation is low; after, the red line follows the grey one. Listen for the pauses and the stressed words:
    they now sit where p228 put them, in the clone's voice and at the clone's pitch.

    What it cannot do: copy a delivery onto *another* sentence (there is nothing to align), or carry voice
    quality (breathiness, creak), which lives in the spectral envelope the clone keeps. When the two clearly say
    different things, it refuses with one line rather than making garbage:
    """),
    code("""
    try:
        transfer_delivery(cross["en"].y, sr=cross["en"].sr, reference_y=ref.y, reference_sr=ref.sr)
    except ToolkitError as exc:
        print("refused:", exc)
    """),
    md("""
    #### Exercise 6a. Half your melody.

    `transfer_delivery` takes `strength` (0 = the clone's own contour, re-timed; 1 = yours). **Predict** what
    `strength=0.5` sounds like, then run it and play it next to `like`. Then try `timing=False`: the clone keeps
    its own durations and takes only your melody.

    <details><summary>Solution</summary>

    ```python
    half = transfer_delivery(plain.y, sr=plain.sr, reference_y=ref.y, reference_sr=ref.sr, strength=0.5)
    melody_only = transfer_delivery(plain.y, sr=plain.sr, reference_y=ref.y, reference_sr=ref.sr, timing=False)
    players({"strength 0.5": (half.y, half.sr), "melody only": (melody_only.y, melody_only.sr)})
    ```

    At 0.5 the rises and falls are where yours are (the timing is yours) but flatter where the clone's own
    contour disagrees: an average of two melodies. With `timing=False` the length is the clone's, and your
    melody is read along the alignment, so the stressed words still rise, just at the clone's pace.

    </details>
    """),
    md("""
    ## 7 · An accent on purpose

    Section 4's clone spoke French with textbook French sounds. A real speaker of one language speaking another
    usually carries their first language over: sounds it lacks become the nearest ones it has, and its syllable
    habits come along (Flege 1995). The lab's **accent** control does exactly that to the phonemes before Kokoro
    reads them. Which is which:

    * **native**: espeak-ng's pronunciation rules for the text's language (what sections 4 and 5 used);
    * **accent**: that native pronunciation, then each sound the accent's language lacks replaced by its usual
      substitute: for a Japanese accent /θ/ → /s/, /l/ and /ɹ/ → /ɾ/, /v/ → /b/, and a vowel after a final
      consonant ("world" → *waarudo*). Only sounds in Kokoro's vocabulary are kept.

    It is `toolkit.synth.phonemes.phonemize(text, language="en", accent="ja")`, and `clone(..., accent="ja")`.
    """),
    code("""
    from toolkit.analysis import mel_spectrogram_db
    from toolkit.audio import resample
    from toolkit.plot import plot_spectrogram
    from toolkit.synth.phonemes import phonemize

    TEXT_ACC = "Think of the world as a small village."
    for a in (None, "ja", "fr", "de"):
        print(f"{a or 'native':6s} {phonemize(TEXT_ACC, language='en', accent=a)}")
    native_en = clone(ja_enc, sr=16000, text=TEXT_ACC, language="en", shape_steps=("f0", "loudness"), **FAST)
    accent_en = clone(ja_enc, sr=16000, text=TEXT_ACC, language="en", accent="ja", shape_steps=("f0", "loudness"), **FAST)
    fig, axes = plt.subplots(1, 2, figsize=(10, 3), layout="constrained", sharey=True)
    for ax, (name, r) in zip(axes, (("native English", native_en), ("English, Japanese accent", accent_en))):
        plot_spectrogram(mel_spectrogram_db(resample(r.y, sr=r.sr, target_sr=16000), sr=16000), ax=ax, fmax_hz=6000)
        ax.set_title(f"{name}: {len(r.y) / r.sr:.1f} s")
    plt.show()
    players({"Japanese reference": ja_clip, "native English": (native_en.y, native_en.sr),
             "Japanese accent": (accent_en.y, accent_en.sr)})
    """),
    md("""
    The two spectrograms differ where the sounds do: the accented one is longer (the added vowels), has no
    /θ/ hiss at the start and a tapped /ɾ/ where English has /l/ and /ɹ/. The voice is the same fitted voice in
    both; only the phonemes changed. This is a *model* of an accent, built from rules, not this speaker's own
    accent: the engine never learned how she pronounces English.

    #### Exercise 7a. Which accent is it?

    Ask a neighbour to look away. Play them `clone(..., accent=a)` for two of `"fr"`, `"de"`, `"es"`, `"ja"`
    on the same English sentence, and let them guess the language. **Predict** which pair is easiest to tell apart.

    <details><summary>Solution</summary>

    ```python
    for a in ("fr", "es"):
        r = clone(ja_enc, sr=16000, text=TEXT_ACC, language="en", accent=a, shape_steps=("f0", "loudness"), **FAST)
        players({a: (r.y, r.sr)})
    ```

    Japanese is easiest (the added vowels change the rhythm); French and German are the hardest pair, because
    both mostly swap single sounds (/θ/ → /s/ or /z/, /ɹ/ → /ʁ/) and Kokoro's own intonation stays English.
    Rhythm and melody are a large part of an accent, and these rules change only the sounds and stress marks.

    </details>
    """),
    md("""
    ## 8 · Emotion through the prosody half

    Sections 2 and 3 found that the *emotion* of a reference does not carry: the clone inherits its average
    pitch, pace and loudness. Kokoro's style vector has a **prosody half** (numbers 128-255) that drives the
    durations, the melody and the energy of every sound, and the fitted voice chose it for *who* is speaking.
    The **emotion map** (`toolkit.clone.emotion`) moves that half toward *how* the reference speaks: it
    measures five numbers of the reference and of the fitted voice's own speech (median F0, F0 range,
    intensity swings, syllable rate, share of pauses), and changes the prosody half by the least amount that,
    on 110 voices the lab synthesised from its voice bank, moves those numbers by the difference (the median
    F0 held: the engine carries the pitch level itself). It is `clone(..., emotion=1)`; `emotion=0` (the
    default) leaves the voice as fitted.

    Thorsten's clips are too short to clone on their own, so each reference is the clip three times in a row.
    The clone says his German sentence, *Mist, wieder nichts geschafft.*, once without and once with the map.
    """),
    code("""
    from toolkit.clone.emotion import prosodic_features

    SENTENCE = "Mist, wieder nichts geschafft."   # what Thorsten says in every clip
    measures = {"F0 range (st)": 1, "intensity SD (dB)": 2, "rate (syl/s)": 3}
    emo = {}
    for e in ("sleepy", "drunk"):   # narrowest and widest F0 range of the eight
        clip = thorsten[e]
        ref3 = np.tile(clip.y, 3)
        emo[e] = {"reference": prosodic_features(clip.y, sr=clip.sr)}
        for name, strength in (("map off", 0.0), ("map on", 1.0)):
            out = clone(ref3, sr=clip.sr, text=SENTENCE, language="de", enhance="off", emotion=strength, **FAST)
            emo[e][name] = prosodic_features(out.y, sr=out.sr)
            emo[e][name + " audio"] = (out.y, out.sr)
        players({f"{e}: reference": clip, "map off": emo[e]["map off audio"], "map on": emo[e]["map on audio"]})
    fig, axes = plt.subplots(1, 3, figsize=(11, 2.8), layout="constrained")
    for ax, (title, k) in zip(axes, measures.items()):
        x = np.arange(2)
        for i, name in enumerate(("reference", "map off", "map on")):
            ax.bar(x + (i - 1) * 0.27, [emo[e][name][k] for e in emo], 0.27, label=name)
        ax.set_xticks(x, list(emo)); ax.set_title(title, fontsize=9)
    axes[0].legend(fontsize=7)
    plt.show()
    for e in emo:
        print(e.ljust(7), " | ".join(f"{t} {emo[e]['reference'][k]:.1f} → {emo[e]['map off'][k]:.1f} / "
                                       f"{emo[e]['map on'][k]:.1f}" for t, k in measures.items()))
    """),
    md("""
    Read the bars against the reference's: with the map on, the drunk clone's F0 range should widen and the
    sleepy one's narrow (the numbers are measured anew each time the notebook runs; check them above). On all
    seven voiced emotions (`benchmarks/bench_emotion.py`, the *Emotion* section of `docs/benchmarks.md`,
    measured on a busy machine), this is what carried:

    | across the seven emotions | without the map | with the map (`emotion=1`) |
    |---|---|---|
    | **F0 range**: correlation of clone with reference | 0.87 | 0.99 |
    | F0 range: how far the clone's range moves per semitone of the reference's | 0.7 | 1.4 |
    | **syllable rate**: correlation | 0.95 | 0.96 |
    | **intensity swings** (SD of the intensity contour): correlation | 0.69 | 0.23 |

    * **F0 range carries**, and the map makes it follow the emotions almost perfectly in *order* (drunk and
      angry widest, sleepy narrowest), but it *exaggerates* the contrasts: drunk Thorsten's 18.2 semitones
      became 20.9, sleepy's 7.2 became 4.7. At `emotion=0.5` it overshoots less (correlation 0.95, the mean error 1.2 semitones instead of 1.6),
      though on 1.5 s sentences single rows move by a few semitones between runs.
    * **Rate carries with or without the map**: it goes through Kokoro's speed factor (section 2), and the
      map does not touch it, because on the voice bank the style vector hardly predicts the rate the syllable
      detector reads.
    * **Intensity swings do not carry**: the style vector predicts them poorly (Kokoro's energy follows the
      timbre half as much as the prosody half), so the map does not steer them, and the changes it makes to the
      prosody half disturb them (angry: 12.9 dB in the reference, 20.6 in the clone).
    * **The whisper** is still refused: there is no voiced speech to fit a voice to.

    And the price: on five English speakers the map changed speaker similarity (GE2E, a held-out sentence) by
    −0.005 on average, but by −0.03 for two of them; with the exaggerated range and the disturbed intensity
    swings, that is why it is **off by default**, an option (`clone(..., emotion=1)`, `voice-lab clone
    --emotion 1`).
    What none of these numbers say is whether the clone *sounds* drunk or sleepy: listen to the pairs above.
    Emotion lives also in voice quality and in which words get the emphasis, and those the map does not move.
    """),
    md("""
    ## What we learned

    * Real emotions differ in F0 level and range, loudness and rate (Thorsten's eight), and in voice quality.
    * Loudness and median pitch of the reference carry into the clone; pace roughly, within the speed
      factor's range; a whisper is refused.
    * Emotion and personal prosody do not, beyond those averages.
    * Cross-lingual cloning works for the *voice*; the *accent* does not travel, because pronunciation comes from
      a rule-based phonemiser of the target language.
    * Compare languages with care: the speaker encoder itself scores a voice differently in different languages.

    """),
    EXERCISES,
    QUIZ,
    md("""
    ## Further reading

    * Smallest AI, *Voice cloning best practices* (the vendor guide this lab was built from): the promises tested
      here.
    * K. R. Scherer (2003). Vocal communication of emotion: a review of research paradigms. *Speech Communication*
      40, 227-256. How F0, intensity and rate change with emotion.
    * T. Müller (2021). Thorsten-Voice Dataset 2021.06 emotional. doi:10.5281/zenodo.5525023.
    * Zhang et al. (2019). *Learning to Speak Fluently in a Foreign Language: Multilingual Speech Synthesis and
      Cross-Language Voice Cloning*. Interspeech.
    * Boersma & Weenink, *Praat* manual: pitch, intensity and syllable nuclei.

    ## Credits

    Kokoro-82M (Apache-2.0), espeak-ng (GPL-3.0), Resemblyzer (MIT), WORLD (pyworld). Real recordings shipped in
    `media/` (credits in `media/README.md`), used only for listening and measuring: VCTK p228 (CC BY 4.0, CSTR,
    University of Edinburgh), FLEURS Japanese sample 1837 (CC BY 4.0, Google) and Thorsten Müller's emotional
    recordings (CC0 1.0, credited with thanks).
    """),
]

if __name__ == "__main__":
    write("06_expressive_and_cross_lingual", cells, title="06 · Expressive and cross-lingual cloning")
