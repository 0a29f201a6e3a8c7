"""The whole zero-shot cloning engine, stage by stage: encode → fit a voice → generate → shape → evaluate.

:func:`fit` turns a reference into a :class:`~toolkit.clone.voice_space.FittedVoice`
(style vector, speed and the shaping that helped), cached on disk per reference;
:func:`clone` also speaks a text with it and returns every intermediate result,
so a notebook can play and score each stage. :func:`clone_stream` yields
sentence after sentence for playback while the rest is made.

Taught in ``notebooks/05_zero_shot_cloning.ipynb``.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import ParameterError
from .encode import ReferenceEncoding, encode_reference
from .generate import METHODS, FitTrace, fit_voice, speak_stream
from .shape import STEPS, ShapingParams, apply_shaping, choose_shaping, long_term_spectrum_mel_db
from .voice_space import FittedVoice

__all__ = ["CloneResult", "fit", "clone", "clone_stream", "shape_with_voice", "cache_dir", "FIT_VERSION"]

#: Version of the fitting procedure; part of the cache key so voices fitted by older code are not reused.
FIT_VERSION = "6"


def cache_dir() -> Path:
    """Folder of cached fitted voices: ``$VOICE_LAB_CACHE/voices`` or ``~/.cache/voice_cloning_lab/voices``."""
    root = os.environ.get("VOICE_LAB_CACHE") or (Path.home() / ".cache" / "voice_cloning_lab")
    return Path(root) / "voices"


def _shaping_of(voice: FittedVoice, ref_loudness) -> ShapingParams:
    kw = {k: v for k, v in voice.shaping.items() if k in ShapingParams.__dataclass_fields__}
    kw.pop("loudness_lufs", None)
    kw.pop("eq_db", None)
    eq = [voice.shaping[k] for k in sorted(voice.shaping) if k.startswith("eq_db_")]
    kw["eq_db"] = tuple(eq)
    lufs = ref_loudness if (ref_loudness is not None and np.isfinite(ref_loudness)) else None
    return ShapingParams(**kw, loudness_lufs=lufs)


def fit(enc: ReferenceEncoding, *, method: str = "learned+refined", refine_steps: int = 3,
        shape_steps=STEPS, match_pace: bool = True, use_cache: bool = True):
    """Fit (or load from the cache) the voice for an encoded reference.

    Returns
    -------
    voice : FittedVoice
    trace : FitTrace or None
        ``None`` when the cache answered.
    shaping_log : list of dict
        Each shaping step tried on the fitting sentence and whether it was kept (empty on a cache hit).
    hit : bool
    """
    from ..analysis import voice_profile

    steps = tuple(shape_steps or ())
    bad = set(steps) - set(STEPS)
    if bad:
        raise ParameterError(f"unknown shaping steps {sorted(bad)}; choose from {', '.join(STEPS)}")
    tag = "-".join([method.replace("+", "_"), str(refine_steps), "".join(s[0] for s in steps) or "none",
                    str(int(match_pace)), f"v{FIT_VERSION}"])
    path = cache_dir() / f"{enc.key}-{tag}.npz"
    if use_cache and path.exists():
        try:
            return FittedVoice.load(path), None, [], True
        except Exception:  # a damaged cache file is simply refitted
            pass
    voice, trace = fit_voice(enc, method=method, refine_steps=refine_steps, match_pace=match_pace)
    log = []
    spectral = tuple(s for s in steps if s != "loudness")
    if spectral:
        from ..synth.kokoro import get_tts

        y_fit = trace.audio[trace.best]
        sr = get_tts().sr
        gen_profile = voice_profile(y_fit, sr=sr)
        params, log = choose_shaping(y_fit, sr=sr, gen_profile=gen_profile, ref_profile=enc.profile,
                                     ref_embedding=enc.embedding, steps=spectral,
                                     reference_ltas_db=long_term_spectrum_mel_db(enc.y, sr=enc.sr))
        shaping = {k: v for k, v in params.to_dict().items() if k not in ("loudness_lufs", "eq_db")}
        shaping.update({f"eq_db_{i:02d}": float(g) for i, g in enumerate(params.eq_db)})
        voice = FittedVoice(voice.style, voice.speed, voice.method, voice.reference_key,
                            {**voice.scores, "similarity_fit_shaped": max(r["similarity"] for r in log)}, shaping)
    if "loudness" in steps:
        voice = FittedVoice(voice.style, voice.speed, voice.method, voice.reference_key, voice.scores,
                            {**voice.shaping, "match_loudness": 1.0})
    if use_cache:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            voice.save(path)
        except Exception:  # a read-only home still clones, just without the cache
            pass
    return voice, trace, log, False


@dataclass(frozen=True)
class CloneResult:
    """Everything one clone produced.

    Attributes
    ----------
    encoding : ReferenceEncoding
    voice : FittedVoice
    trace : FitTrace or None
        Candidates tried while fitting (``None`` on a cache hit).
    shaping_log : list of dict
    audio : dict
        Stage name (``"generated"``, ``"shaped"``) → waveform at ``sr``.
    sr : int
    similarity : dict
        Stage name → GE2E similarity to the reference (fitting stages on the fitting sentence).
    timings_s : dict
        Stage name → wall-clock seconds; ``generate_cpu`` and ``shape_cpu`` are process CPU seconds (all threads).
    cache_hit : bool
    """

    encoding: ReferenceEncoding
    voice: FittedVoice
    trace: FitTrace | None
    shaping_log: list
    audio: dict = field(repr=False)
    sr: int
    similarity: dict
    timings_s: dict
    cache_hit: bool

    @property
    def y(self) -> np.ndarray:
        """The final clone (the last stage made)."""
        return self.audio["shaped"] if "shaped" in self.audio else self.audio["generated"]

    @property
    def duration_s(self) -> float:
        return len(self.y) / self.sr


def shape_with_voice(y, *, sr, voice: FittedVoice, encoding: ReferenceEncoding):
    """Stage 3 on its own: apply the shaping a fitted voice chose while fitting to speech it generated.

    Returns
    -------
    np.ndarray or None
        The shaped speech, or ``None`` when the voice keeps no shaping step (the speech is final as it is).
    """
    if not voice.shaping:
        return None
    lufs = encoding.profile.loudness_lufs if voice.shaping.get("match_loudness") else None
    params = _shaping_of(voice, lufs)
    if params.is_identity():
        return None
    return apply_shaping(y, sr=sr, params=params)


def clone(reference, *, sr, text: str, language: str = "en", method: str = "learned+refined",
          refine_steps: int = 3, shape: bool = True, shape_steps=STEPS, match_pace: bool = True,
          use_cache: bool = True, evaluate: bool = True) -> CloneResult:
    """Clone the voice of ``reference`` saying ``text``.

    Parameters
    ----------
    reference : np.ndarray or ReferenceEncoding
        A 5-15 s clip of the target speaker (or its encoding, to skip stage 1).
    sr : int
        Sample rate of ``reference`` (Hz).
    text : str
        What the clone should say; long text is split into sentences.
    language : str
        Language of ``text`` (see :data:`toolkit.synth.LANGUAGES`).
    method : {"nearest", "learned", "learned+refined"}
        How the voice is found (stage 2).
    refine_steps : int
        Syntheses spent on refinement.
    shape : bool
        Apply stage 3 (the shaping chosen while fitting).
    shape_steps : sequence of str
        Which shaping steps may be used (subset of :data:`toolkit.clone.shape.STEPS`).
    match_pace : bool
        Match the speaking rate with Kokoro's speed factor.
    use_cache : bool
        Reuse a voice fitted earlier to the same reference with the same settings.
    evaluate : bool
        Score the generated and shaped speech against the reference (stage 4).

    Returns
    -------
    CloneResult

    Examples
    --------
    >>> from toolkit.media import example                          # doctest: +SKIP
    >>> ref = example("speech_ref")                                 # doctest: +SKIP
    >>> out = clone(ref.y, sr=ref.sr, text="Hello there.")          # doctest: +SKIP
    """
    from ..defaults import TTS_SR_HZ

    if method not in METHODS:
        raise ParameterError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    if not isinstance(text, str) or not text.strip():
        raise ParameterError("text is empty; type something for the clone to say")
    timings = {}
    t = time.perf_counter()
    enc = reference if isinstance(reference, ReferenceEncoding) else encode_reference(reference, sr=sr)
    timings["encode"] = time.perf_counter() - t
    t = time.perf_counter()
    voice, trace, log, hit = fit(enc, method=method, refine_steps=refine_steps,
                                 shape_steps=shape_steps if shape else (), match_pace=match_pace,
                                 use_cache=use_cache)
    timings["fit"] = time.perf_counter() - t
    t, c = time.perf_counter(), time.process_time()
    y_gen = np.concatenate(list(speak_stream(voice, text, language=language)))
    timings["generate"], timings["generate_cpu"] = time.perf_counter() - t, time.process_time() - c
    audio = {"generated": y_gen}
    t, c = time.perf_counter(), time.process_time()
    shaped = shape_with_voice(y_gen, sr=TTS_SR_HZ, voice=voice, encoding=enc) if shape else None
    if shaped is not None:
        audio["shaped"] = shaped
    timings["shape"], timings["shape_cpu"] = time.perf_counter() - t, time.process_time() - c
    sims = {}
    if trace is not None:
        sims["fit_first"] = float(trace.similarities[0])
        sims["fit_best"] = float(trace.similarities[trace.best])
    if evaluate:
        from .evaluate import speaker_similarity

        t = time.perf_counter()
        for k, y in audio.items():
            try:
                sims[k] = speaker_similarity(y, sr=TTS_SR_HZ, reference_embedding=enc.embedding)
            except ParameterError:  # under a second of speech: too short for the speaker encoder to judge
                pass
        timings["evaluate"] = time.perf_counter() - t
    return CloneResult(enc, voice, trace, log, audio, TTS_SR_HZ, sims, timings, hit)


def clone_stream(reference, *, sr, text: str, language: str = "en", method: str = "learned+refined",
                 refine_steps: int = 3, shape: bool = True, use_cache: bool = True):
    """Yield the clone sentence by sentence (24 kHz arrays) as each is made and shaped.

    The voice is fitted (or loaded from the cache) before the first sentence.
    """
    from ..defaults import TTS_SR_HZ

    if not isinstance(text, str) or not text.strip():
        raise ParameterError("text is empty; type something for the clone to say")
    enc = reference if isinstance(reference, ReferenceEncoding) else encode_reference(reference, sr=sr)
    voice, _, _, _ = fit(enc, method=method, refine_steps=refine_steps,
                         shape_steps=STEPS if shape else (), use_cache=use_cache)
    for y in speak_stream(voice, text, language=language):
        shaped = shape_with_voice(y, sr=TTS_SR_HZ, voice=voice, encoding=enc) if shape else None
        yield y if shaped is None else shaped
