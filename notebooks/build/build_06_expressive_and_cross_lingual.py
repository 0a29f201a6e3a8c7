"""Build notebooks/06_expressive_and_cross_lingual.ipynb: what carries from the reference into the clone."""

from nbtools import code, md, write

SETUP = '''
import csv
import os
from pathlib import Path

import matplotlib
matplotlib.use("module://matplotlib_inline.backend_inline")
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Audio, HTML, display

from toolkit import media
from toolkit.analysis import voice_profile
from toolkit.audio import Clip
from toolkit.clone import FittedVoice, clone, encode_reference, get_voice_space, sample_styles, speak
from toolkit.embedding import embed, similarity
from toolkit.prosody import modify_prosody

REPO = media.MEDIA_DIR.parent
SPEECH_DIR = Path(os.environ.get("VOICE_LAB_SPEECH", REPO.parent / "shared" / "speech"))
FAST = dict(method="learned", refine_steps=1)  # one synthesis to fit: enough to show what carries over


def players(**clips):
    cells = "".join(f"<td style='padding:4px 10px'><b>{label}</b><br>{Audio(y, rate=sr)._repr_html_()}</td>"
                    for label, (y, sr) in clips.items())
    display(HTML(f"<table><tr>{cells}</tr></table>"))


def manifest():
    path = SPEECH_DIR / "manifest.csv"
    if not path.exists():
        return {}
    with open(path, newline="", encoding="utf-8") as f:
        return {r["file"]: r for r in csv.DictReader(f)}


def reference_clip():
    rows = manifest()
    name = "vctk_p228__ref__p228_023.wav"
    if name in rows:
        return Clip.from_file(SPEECH_DIR / name, sr=16000, name="VCTK p228")
    print("../shared/speech not found: the reference is a voice sampled from Kokoro's style space")
    style = sample_styles(1, space=get_voice_space(), rng=np.random.default_rng(7))[0][0]
    y, sr = speak(FittedVoice(style), "This is a voice nobody has heard before. It was sampled at random, "
                                     "and now it reads a few sentences for us.")
    return Clip(y, sr, name="a sampled voice")


ref = reference_clip()
print(f"{ref.name}: {ref.duration_s:.1f} s")
'''

cells = [
    md("""
    # 06 · Expressive and cross-lingual cloning: what carries over from the reference?

    Commercial cloning guides (the seed `000` in `../shared/seeds`) promise that *the tone, pace and volume of the
    reference carry into the clone*, and that a clone speaking another language keeps the speaker's accent, with
    language-matched references doing best. Here we **measure** what our engine carries over, with the analysis
    toolkit, instead of taking it on trust.

    **In this notebook you will**

    1. make calm, neutral and lively versions of one reference (slower/faster, narrower/wider pitch, softer/louder);
    2. clone each and measure speaking rate, pitch and loudness of reference and clone;
    3. make the same voice speak French and Spanish, and measure how similar it stays;
    4. compare language-matched and mismatched references;
    5. see honestly which of the guide's promises this engine keeps, and which it does not.
    """),
    code(SETUP),
    md("""
    ## 1 · Speed, pitch and volume of the reference

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
        clones[name] = clone(y, sr=ref.sr, text=TEXT, shape_steps=("f0", "loudness"), **FAST)
    players(**{f"{k} reference": (y, ref.sr) for k, y in refs.items()})
    players(**{f"{k} clone": (r.y, r.sr) for k, r in clones.items()})
    """),
    code("""
    rows = []
    for name in variants:
        pr, pc = clones[name].encoding.profile, voice_profile(clones[name].y, sr=clones[name].sr)
        rows.append((name, pr, pc))
        print(f"{name:8s} rate {pr.speaking_rate_syl_per_s:4.1f} → {pc.speaking_rate_syl_per_s:4.1f} syl/s | "
              f"F0 {pr.f0_median_hz:5.0f} → {pc.f0_median_hz:5.0f} Hz | range {pr.f0_range_st:4.1f} → {pc.f0_range_st:4.1f} st | "
              f"loudness {pr.loudness_lufs:5.1f} → {pc.loudness_lufs:5.1f} LUFS")
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
    **Reading the table.** Pitch level and range follow the reference, because the shaping stage sets them
    directly (within the limits WORLD handles cleanly). Loudness is matched for soft references; for loud
    ones the clone stays a few dB quieter, because a limiter keeps its peaks below full scale (synthetic
    speech has higher peaks for the same loudness). Pace keeps its *order* (calm slowest, lively fastest) but
    not its size: the speed factor is damped and limited to 0.85-1.2, because Kokoro gets hard to understand
    beyond that, and Kokoro's own pace differs from the speaker's. Check each claim against the numbers
    printed above: they are measured anew every time the notebook runs.

    **Emotion** is more than these numbers: voice quality, timing of emphasis, the shape of each phrase. Kokoro's
    style vector has a prosody half, but our learned map was trained to find *who* is speaking, not *how they
    feel*, so the clone inherits the average pitch, pace and loudness of an emotional reference, not its emotion.
    That is the seed article's "emotion and speaker identity not clearly disentangled", measured.
    """),
    md("""
    ## 2 · Cross-lingual cloning

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
    speaker's voice. (The speaker encoder is also somewhat language-dependent, which is part of why the
    similarity above changes with the language.)

    So the guides' advice cuts both ways. A clone of a South Indian English speaker made by such a system keeps
    that accent when it speaks Hindi or Tamil: it is *their* voice, accent included. If you need a clone that
    sounds native in a language, the reference should come from a native speaker of that language.

    ## 3 · Language-matched references

    Does a reference in the output language help? The speech set has one Japanese speaker; we fit a voice to them
    and compare: the clone speaking Japanese (written in kana, which espeak-ng can read) and speaking English, each
    scored against the Japanese reference.
    """),
    code("""
    rows = manifest()
    ja = next((r for r in rows.values() if r["language"] == "ja" and r["role"] == "ref"), None)
    if ja is None:
        print("../shared/speech not found: skipping the language-matched comparison")
    else:
        ja_clip = Clip.from_file(SPEECH_DIR / ja["file"], sr=16000)
        ja_enc = encode_reference(ja_clip.y, sr=16000)
        same = clone(ja_enc, sr=16000, text="きょうは とても いい てんき です。こうえんへ さんぽに いきましょう。",
                     language="ja", shape_steps=("f0", "loudness"), **FAST)
        other = clone(ja_enc, sr=16000, text="The weather is lovely today. Let us go for a walk in the park.",
                      language="en", shape_steps=("f0", "loudness"), **FAST)
        s_same = same.similarity.get("shaped", same.similarity["generated"])
        s_other = other.similarity.get("shaped", other.similarity["generated"])
        print(f"Japanese reference → Japanese clone: {s_same:.3f}; → English clone: {s_other:.3f}")
        print("language-matched did better" if s_same > s_other else "here the mismatched language scored as well or better")
        players(reference=(ja_clip.y, 16000), **{"clone, Japanese": (same.y, same.sr), "clone, English": (other.y, other.sr)})
    """),
    md("""
    ## What we learned

    * Pace, pitch level and loudness of the reference carry into the clone, because the engine measures and
      copies them; pitch range and pace only partly.
    * Emotion and personal prosody do not, beyond those averages.
    * Cross-lingual cloning works for the *voice*; the *accent* does not travel, because pronunciation comes from
      a rule-based phonemiser of the target language.
    * Compare languages with care: the speaker encoder itself scores a voice differently in different languages.

    ## Further reading

    * Smallest AI, *Voice cloning best practices* (the seed `000`): the promises tested here.
    * Zhang et al. (2019). *Learning to Speak Fluently in a Foreign Language: Multilingual Speech Synthesis and
      Cross-Language Voice Cloning*. Interspeech.
    * Boersma & Weenink, *Praat* manual: pitch, intensity and syllable nuclei.

    ## Credits

    Kokoro-82M (Apache-2.0), espeak-ng (GPL-3.0), Resemblyzer (MIT), WORLD (pyworld); VCTK and FLEURS recordings
    (CC BY 4.0) from `../shared/speech`, used only for listening and measuring.
    """),
]

if __name__ == "__main__":
    write("06_expressive_and_cross_lingual", cells, title="06 · Expressive and cross-lingual cloning")
