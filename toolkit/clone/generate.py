"""Stage 2 of cloning, *generate*: choose or fit a voice in Kokoro's style space, then speak with it.

Three ways to find a voice, from crude to good:

``"nearest"``
    The shipped voice whose speech embeds closest to the reference.
``"learned"``
    The learned voice space (:mod:`toolkit.clone.learned`): a blend of the sampled training voices
    that sound most like the reference (nearest neighbours in GE2E space), instantly.
``"learned+refined"``
    Then a few rounds of *inverse-model correction*: speak a short sentence with the found voice,
    embed it, and look up again with the reference's embedding pushed past the miss
    (``q ← q + step · (e_reference − e_generated)``); then the learned map's direct prediction from
    embedding and profile (MLP or ridge, whichever won at training), the nearest shipped voice, and
    the point halfway between it and the best so far; keep whichever candidate the speaker encoder
    found most similar to the reference.
    ``refine_steps + 3`` syntheses of one short sentence: a few seconds on an idle machine.

The speed factor carries the reference's pace into the clone (:func:`pace_speed`): the reference's
syllable rate against the chosen voice's own rate at speed 1, measured on the fitting sentence. Kokoro says
up to ×1.3 of it; WORLD finishes a faster pace in the shaping stage (:func:`split_speed`).

Taught in ``notebooks/05_zero_shot_cloning.ipynb``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import ParameterError
from .encode import ReferenceEncoding, model_features
from .voice_space import FittedVoice, get_voice_space

__all__ = ["FitTrace", "fit_voice", "speak", "speak_stream", "pace_speed", "split_speed", "voice_rate_syl_per_s", "delivery_change",
           "METHODS",
           "REFINE_TEXT", "REFINE_SYLLABLES"]

METHODS = ("nearest", "learned", "learned+refined")
#: Sentence spoken during refinement (5.5-5.8 s of audio at speed 1, silences included, with the voices
#: fitted on 2026-12-06).
REFINE_TEXT = "The quiet river carried small boats past the old stone bridge this morning."
#: Syllables of :data:`REFINE_TEXT` (the qui-et ri-ver car-ried small boats past the old stone bridge this mor-ning).
REFINE_SYLLABLES = 17
#: The shipped voices' speech of :data:`REFINE_TEXT` and its embedding, made once per process: every fit of the
#: "learned+refined" method tries the nearest shipped voice, and there are only a few of them. name → (y, e or None).
_SHIPPED_TRIALS: dict = {}


@dataclass(frozen=True)
class FitTrace:
    """What happened while fitting: one row per candidate voice tried.

    Attributes
    ----------
    styles : np.ndarray [shape=(n, 256)]
    similarities : np.ndarray [shape=(n,)]
        GE2E similarity of each candidate's speech to the reference.
    embeddings : np.ndarray [shape=(n, 256)]
    labels : list of str
    best : int
        Index of the chosen candidate.
    audio : list of np.ndarray
        Each candidate's speech of :data:`REFINE_TEXT` (24 kHz).
    """

    styles: np.ndarray = field(repr=False)
    similarities: np.ndarray
    embeddings: np.ndarray = field(repr=False)
    labels: list
    best: int
    audio: list = field(repr=False, default_factory=list)


def voice_rate_syl_per_s(y, *, sr, syllables: int = REFINE_SYLLABLES) -> float:
    """Syllable rate of a voice speaking :data:`REFINE_TEXT`: its known syllables per second of speech.

    Exact where :func:`toolkit.analysis.speaking_rate` has to guess (the text is known); ``nan`` without speech.

    Examples
    --------
    >>> sr = 24000
    >>> y = np.r_[np.zeros(sr // 2), 0.3 * np.sin(2 * np.pi * 150 * np.arange(4 * sr) / sr), np.zeros(sr // 2)]
    >>> round(voice_rate_syl_per_s(y.astype(np.float32), sr=sr), 1)  # 17 syllables in 4 s of sound
    4.2
    """
    from ..analysis.rhythm import speech_duration_s, speech_segments

    speech_s = speech_duration_s(speech_segments(y, sr=sr))
    return float(syllables / speech_s) if speech_s > 0 else float("nan")


def pace_speed(reference_rate_syl_per_s, voice_rate_syl_per_s, *, speed_range=None) -> float:
    """Kokoro speed factor that gives a voice the reference's pace.

    The reference's rate is :func:`toolkit.analysis.speaking_rate`'s reading (syllable nuclei, no transcript);
    it is turned into a true syllable rate by undoing the detector's known share and sluggishness
    (:data:`~toolkit.defaults.PACE_DETECTOR_SHARE`, :data:`~toolkit.defaults.PACE_EXPONENT` around
    :data:`~toolkit.defaults.PACE_PIVOT_SYL_PER_S`) and divided by the voice's own rate at speed 1
    (:func:`voice_rate_syl_per_s`); the result is held within ``speed_range`` (default
    :data:`~toolkit.defaults.PACE_RANGE`; ``(0, inf)`` gives the speed the pace asks for before any bound).
    1.0 when either rate is missing.

    Examples
    --------
    >>> round(pace_speed(0.88 * 4.5, 4.5), 3)      # a reference at the pivot, a voice as fast: unchanged
    1.0
    >>> round(pace_speed(0.88 * 4.5 * 1.16, 4.5), 2)  # the detector's 16 % for a 25 % faster reference
    1.25
    >>> pace_speed(float("nan"), 4.0), pace_speed(20.0, 4.0)
    (1.0, 1.8)
    """
    from ..defaults import PACE_DETECTOR_SHARE, PACE_EXPONENT, PACE_PIVOT_SYL_PER_S, PACE_RANGE

    r, v = float(reference_rate_syl_per_s), float(voice_rate_syl_per_s)
    if not (np.isfinite(r) and np.isfinite(v)) or r <= 0 or v <= 0:
        return 1.0
    pivot = PACE_PIVOT_SYL_PER_S
    true_rate = pivot * (r / (PACE_DETECTOR_SHARE * pivot)) ** PACE_EXPONENT
    return float(np.clip(true_rate / v, *(PACE_RANGE if speed_range is None else speed_range)))


def split_speed(speed: float) -> tuple[float, float]:
    """Share a speed factor between Kokoro and WORLD: ``(kokoro_speed, tempo)`` with ``kokoro_speed * tempo == speed``.

    Kokoro says everything up to :data:`~toolkit.defaults.KOKORO_SPEED_MAX` itself (its own timing is the most
    natural); past it, Kokoro's durations jump and intelligibility drops, so the rest is WORLD's time-scaling in
    the shaping stage (:attr:`ShapingParams.tempo <toolkit.clone.shape.ShapingParams>`, filled in by
    :func:`toolkit.clone.shape_with_voice`).

    Examples
    --------
    >>> split_speed(1.2)
    (1.2, 1.0)
    >>> [round(v, 3) for v in split_speed(1.45)]
    [1.3, 1.115]
    """
    from ..defaults import KOKORO_SPEED_MAX

    speed = float(speed)
    kokoro = min(speed, KOKORO_SPEED_MAX)
    return kokoro, speed / kokoro


def delivery_change(before, after, *, sr) -> dict:
    """How the delivery of ``after`` differs from ``before``, two clips of the *same words* (e.g. two clones).

    Returns
    -------
    dict
        ``pace``: speed ratio (speech time of ``before`` over that of ``after``; > 1 is faster);
        ``pitch_st``: change of median F0 (semitones); ``level_db``: change of integrated loudness (LU).

    Examples
    --------
    >>> sr = 16000
    >>> t = np.arange(2 * sr) / sr
    >>> a = (0.3 * np.sin(2 * np.pi * 150 * t)).astype(np.float32)
    >>> b = (0.1 * np.sin(2 * np.pi * 150 * 2 ** (3 / 12) * t[: int(1.6 * sr)])).astype(np.float32)
    >>> {k: round(v, 1) for k, v in delivery_change(a, b, sr=sr).items()}
    {'pace': 1.2, 'pitch_st': 3.0, 'level_db': -9.4}
    """
    from ..analysis import estimate_f0, f0_median_hz, loudness_lufs
    from ..analysis.rhythm import speech_duration_s, speech_segments

    dur = [speech_duration_s(speech_segments(y, sr=sr)) for y in (before, after)]
    f0 = [f0_median_hz(estimate_f0(y, sr=sr)) for y in (before, after)]
    return {"pace": float(dur[0] / dur[1]) if dur[1] > 0 else float("nan"),
            "pitch_st": float(12 * np.log2(f0[1] / f0[0])),
            "level_db": float(loudness_lufs(after, sr=sr) - loudness_lufs(before, sr=sr))}


def fit_voice(enc: ReferenceEncoding, *, method: str = "learned+refined", refine_steps: int = 3,
              refine_step_size: float = 0.8, match_pace: bool = True):
    """Find a Kokoro voice for the reference.

    Parameters
    ----------
    enc : ReferenceEncoding
        From :func:`~toolkit.clone.encode.encode_reference`.
    method : {"nearest", "learned", "learned+refined"}
    refine_steps : int
        Neighbour look-ups tried, the first plus corrections (``"learned+refined"`` only; three more
        candidates follow).
    refine_step_size : float
        How far past the miss each correction aims (0 = no correction).
    match_pace : bool
        Set the speed factor from the reference's syllable rate (:func:`pace_speed`).

    Returns
    -------
    voice : FittedVoice
    trace : FitTrace
    """
    from ..embedding import get_encoder, similarity
    from ..synth.kokoro import get_tts
    from ..synth.phonemes import phonemize
    from .learned import get_voice_encoder

    if method not in METHODS:
        raise ParameterError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    if refine_steps < 1:
        raise ParameterError(f"refine_steps must be at least 1, got {refine_steps}")
    tts, space, model, spk = get_tts(), get_voice_space(), get_voice_encoder(), get_encoder()
    ph = phonemize(REFINE_TEXT, language="en")

    def speech(style):
        y = np.clip(np.nan_to_num(tts.synthesize_phonemes(ph, style=space.table(style))), -1.0, 1.0)
        try:
            return y, spk.embed(y, sr=tts.sr)
        except ParameterError:  # (nearly) silent output: the worst possible candidate
            return y, None

    def trial(style, shipped=None):
        if shipped is None:
            y, e = speech(style)
        else:  # a shipped voice says the same every time: made once per process
            if (shipped, ph) not in _SHIPPED_TRIALS:
                _SHIPPED_TRIALS[(shipped, ph)] = speech(style)
            y, e = _SHIPPED_TRIALS[(shipped, ph)]
            y, e = y.copy(), None if e is None else e.copy()
        if e is None:
            return y, np.zeros_like(enc.embedding), -1.0
        return y, e, similarity(e, enc.embedding)

    styles, sims, embs, labels, audio = [], [], [], [], []

    def record(style, label, shipped=None):
        y, e, s = trial(style, shipped)
        styles.append(np.asarray(style, np.float32)); sims.append(s); embs.append(e); labels.append(label)
        audio.append(y)
        return e

    i = int(np.argmax(model.shipped_embeddings @ enc.embedding))
    nearest = space.styles[space.names.index(model.shipped_names[i])]
    if method == "nearest":
        record(nearest, f"nearest shipped voice ({model.shipped_names[i]})", model.shipped_names[i])
    else:
        # 1. the training voices that sound most like the reference (natural, in-distribution)
        e = record(model.neighbours(enc.embedding), "learned (neighbours)")
        if method == "learned+refined":
            # 2. inverse-model correction: ask again with the miss added in the opposite direction
            q = enc.embedding.copy()
            for k in range(1, refine_steps):
                q = q + refine_step_size * (enc.embedding - e)
                e = record(model.neighbours(q / np.linalg.norm(q)), f"corrected {k}")
            # 3. the learned map's direct prediction from embedding + profile, kept near the shipped voices
            record(space.clamp(model.predict(model_features(enc.embedding, enc.profile)), margin=1.0),
                   f"direct prediction ({model.kind})")
            # 4. the nearest shipped voice, and halfway between it and the best so far: shipped voices are the
            # most natural points of the space, so these keep the fit from wandering off into odd voices
            record(nearest, f"nearest shipped ({model.shipped_names[i]})", model.shipped_names[i])
            b = int(np.argmax(sims[:-1]))
            record(0.5 * (styles[b] + nearest), "halfway to nearest")
    best = int(np.argmax(sims))
    speed, voice_rate = 1.0, voice_rate_syl_per_s(audio[best], sr=tts.sr)
    if match_pace:
        speed = pace_speed(enc.profile.speaking_rate_syl_per_s, voice_rate)
    scores = {"similarity_fit": float(sims[best]), "similarity_first": float(sims[0]),
              "voice_rate_syl_per_s": voice_rate}
    voice = FittedVoice(styles[best], speed=speed, method=method, reference_key=enc.key, scores=scores)
    trace = FitTrace(np.stack(styles), np.array(sims), np.stack(embs), labels, best, audio)
    return voice, trace


def speak_stream(voice: FittedVoice, text: str, *, language: str = "en", accent: str | None = None):
    """Yield the clone's speech sentence by sentence (24 kHz float32 arrays), as it is made (``accent``: see
    :func:`toolkit.synth.phonemes.phonemize`).

    Kokoro speaks at ``voice.speed`` up to :data:`~toolkit.defaults.KOKORO_SPEED_MAX` (:func:`split_speed`); the
    shaping stage (:func:`toolkit.clone.shape_with_voice`) adds the rest of a faster pace."""
    from ..synth.kokoro import get_tts

    tts = get_tts()
    for y in tts.stream(text, style=get_voice_space().table(voice.style), language=language,
                        speed=split_speed(voice.speed)[0], accent=accent):
        yield np.clip(np.nan_to_num(y), -1.0, 1.0)


def speak(voice: FittedVoice, text: str, *, language: str = "en"):
    """Speak ``text`` with a fitted voice, unshaped (:func:`speak_stream`); returns ``(y, sr)`` at 24 kHz."""
    from ..defaults import TTS_SR_HZ

    return np.concatenate(list(speak_stream(voice, text, language=language))), TTS_SR_HZ
