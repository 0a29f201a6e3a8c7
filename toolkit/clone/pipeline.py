"""The whole zero-shot cloning engine, stage by stage: (clean) → encode → fit a voice → generate → shape → evaluate.

:func:`run_stages` is the one place the stage sequence is written: it runs the
stages in order, reports each one to an ``on_stage`` callback as it starts and
ends, and yields a frozen :class:`StageResult` per stage. Everything else calls
it: :func:`clone` (every intermediate result, for notebooks, the CLI and the
clone studio), :func:`clone_stream` (sentence after sentence for playback while
the rest is made) and the app's progress rows (:class:`toolkit.ui.clone_flow.CloneFlow`).

:func:`fit` turns a reference into a :class:`~toolkit.clone.voice_space.FittedVoice`
(style vector, speed and the shaping that helped), cached on disk per reference.
:func:`~toolkit.synth.phonemes.validate_text` and :func:`~toolkit.synth.phonemes.validate_language`
check what the clone is asked to say, once, for every caller (re-exported here).

Taught in ``notebooks/05_zero_shot_cloning.ipynb``.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..defaults import EMOTION_STRENGTH, ENHANCE_DEFAULT, TTS_SR_HZ
from ..errors import ParameterError
from ..synth.phonemes import validate_accent, validate_language, validate_text
from .encode import ReferenceEncoding, encode_reference
from .generate import METHODS, FitTrace, fit_voice, speak_stream, split_speed
from .shape import STEPS, apply_shaping, choose_shaping, long_term_spectrum_mel_db
from .voice_space import FittedVoice

__all__ = ["STAGES", "StageResult", "FitResult", "CloneResult", "run_stages", "fit", "clone", "clone_stream",
           "shape_with_voice", "delivery_notes", "validate_text", "validate_language", "cache_dir", "FIT_VERSION"]

#: Version of the fitting procedure and of the fitted-voice file; part of the cache key, so voices fitted
#: (or saved) by older code are fitted again rather than reused.
FIT_VERSION = "10"
#: The stages of a clone, in the order :func:`run_stages` runs them (``enhance``: stage 0, :mod:`toolkit.enhance`).
STAGES = ("enhance", "encode", "fit", "generate", "shape", "evaluate")
#: What the ``fit`` stage tells a waiting user the first time a voice is fitted (2-core machine).
FIT_HINT = "first time for this voice: 10-25 s"


def cache_dir() -> Path:
    """Folder of cached fitted voices: ``$VOICE_LAB_CACHE/voices`` or ``~/.cache/voice_cloning_lab/voices``."""
    root = os.environ.get("VOICE_LAB_CACHE") or (Path.home() / ".cache" / "voice_cloning_lab")
    return Path(root) / "voices"


@dataclass(frozen=True)
class FitResult:
    """What :func:`fit` found.

    Attributes
    ----------
    voice : FittedVoice
    trace : FitTrace or None
        Candidates tried while fitting; ``None`` when the cache answered.
    shaping_log : list of dict
        Each shaping step tried on the fitting sentence and whether it was kept (empty on a cache hit); the
        delivery carried over from the reference is there too, as rows ``"pitch"``, ``"pace"`` and ``"level"``
        with ``forced=True`` and a ``detail``.
    cache_hit : bool
    """

    voice: FittedVoice
    trace: FitTrace | None = field(repr=False)
    shaping_log: list = field(repr=False)
    cache_hit: bool

    @property
    def delivery(self) -> list:
        """What the voice carries over from its reference (:func:`delivery_notes`), cache hit or not."""
        return delivery_notes(self.voice)


def delivery_notes(voice: FittedVoice) -> list:
    """The reference's delivery a fitted voice carries, as short notes for people.

    ``["pace ×1.24 from your reference", "pitch +2.9 st", "level -10 dB"]``: the speed factor set from the
    reference's syllable rate, the shift of the voice's median F0 toward the reference's (part-way:
    :data:`~toolkit.defaults.PITCH_CARRY_SHARE`), and the gain to the reference's loudness (measured on the
    fitting sentence), each only if it was set while fitting.

    Examples
    --------
    >>> import numpy as np
    >>> from toolkit.clone import ShapingParams
    >>> v = FittedVoice(np.zeros(256, np.float32), speed=1.24, shaping=ShapingParams(f0_ratio=1.18),
    ...                 scores={"pace_carry": 1.24, "pitch_carry_st": 2.87, "level_carry_db": -10.2})
    >>> delivery_notes(v)
    ['pace ×1.24 from your reference', 'pitch +2.9 st', 'level -10 dB']
    """
    sc, notes = voice.scores, []
    if "pace_carry" in sc:
        notes.append(f"pace ×{voice.speed:.2f} from your reference")
    if "pitch_carry_st" in sc:
        notes.append(f"pitch {sc['pitch_carry_st']:+.1f} st")
    if "level_carry_db" in sc and np.isfinite(sc["level_carry_db"]):
        notes.append(f"level {sc['level_carry_db']:+.0f} dB")
    if notes and not notes[0].endswith("reference"):
        notes[0] += " from your reference"
    return notes


def fit(enc: ReferenceEncoding, *, method: str = "learned+refined", refine_steps: int = 3,
        shape_steps=STEPS, match_pace: bool = True, use_cache: bool = True,
        emotion: float = EMOTION_STRENGTH) -> FitResult:
    """Fit (or load from the cache) the voice for an encoded reference.

    ``emotion`` (0-2): move the voice's prosody half toward the reference's delivery by this much
    (:func:`toolkit.clone.emotion.carry_emotion`; one more synthesis); 0 leaves it as fitted.

    Returns
    -------
    FitResult
    """
    from dataclasses import replace

    from ..analysis import loudness_lufs, voice_profile

    steps = tuple(shape_steps or ())
    bad = set(steps) - set(STEPS)
    if bad:
        raise ParameterError(f"unknown shaping steps {sorted(bad)}; choose from {', '.join(STEPS)}")
    if method not in METHODS:
        raise ParameterError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    tag = "-".join([method.replace("+", "_"), str(refine_steps), "".join(s[0] for s in steps) or "none",
                    str(int(match_pace)), f"v{FIT_VERSION}"] + ([f"e{emotion:g}"] if emotion else []))
    path = cache_dir() / f"{enc.key}-{tag}.npz"
    if use_cache and path.exists():
        try:
            return FitResult(FittedVoice.load(path), None, [], True)
        except Exception:  # a damaged cache file is simply refitted
            pass
    voice, trace = fit_voice(enc, method=method, refine_steps=refine_steps, match_pace=match_pace)
    y_fit, sr = trace.audio[trace.best], TTS_SR_HZ
    known_sim = float(trace.similarities[trace.best])  # measured on y_fit while fitting (-1: it could not be embedded)
    if emotion:
        from .emotion import carry_emotion

        voice, y_fit = carry_emotion(voice, encoding=enc, voice_audio=y_fit, sr=sr, strength=emotion,
                                     match_pace=match_pace)
    log = []
    spectral = tuple(s for s in steps if s != "loudness")
    carried = {}
    if spectral:
        params, log = choose_shaping(y_fit, sr=sr, gen_profile=voice_profile(y_fit, sr=sr), ref_profile=enc.profile,
                                     ref_embedding=enc.embedding, steps=spectral,
                                     reference_ltas_db=long_term_spectrum_mel_db(enc.y, sr=enc.sr),
                                     similarity_of_y=None if emotion or known_sim == -1.0 else known_sim)
        voice = replace(voice, shaping=replace(params, loudness_lufs=None),
                        scores={**voice.scores, "similarity_fit_shaped": max(r["similarity"] for r in log)})
        if any(r["step"] == "pitch" for r in log):
            carried["pitch_carry_st"] = float(12 * np.log2(params.f0_ratio))
    last_sim = log[-1]["similarity"] if log else float(trace.similarities[trace.best])
    if match_pace:
        carried["pace_carry"] = float(voice.speed)
        kokoro, tempo = split_speed(voice.speed)
        how = "Kokoro speed factor" if tempo == 1 else f"Kokoro ×{kokoro:.2f}, then WORLD ×{tempo:.2f}"
        log.append({"step": "pace", "similarity": last_sim, "kept": True, "forced": True,
                    "detail": f"pace ×{voice.speed:.2f} from your reference ({how})"})
    if "loudness" in steps:
        voice = replace(voice, shaping=replace(voice.shaping, match_loudness=True))
        level = float(enc.profile.loudness_lufs - loudness_lufs(y_fit, sr=sr))
        if np.isfinite(level):
            carried["level_carry_db"] = level
            log.append({"step": "level", "similarity": last_sim, "kept": True, "forced": True,
                        "detail": f"level {level:+.0f} dB to your reference's {enc.profile.loudness_lufs:.0f} LUFS"})
    voice = replace(voice, scores={**voice.scores, **carried})
    if use_cache:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            voice.save(path)
        except Exception:  # a read-only home still clones, just without the cache
            pass
    return FitResult(voice, trace, log, False)


@dataclass(frozen=True)
class StageResult:
    """One stage of a clone, as :func:`run_stages` reports it.

    Attributes
    ----------
    stage : str
        One of :data:`STAGES`.
    state : {"done", "cached", "skipped"}
        ``"cached"``: the fitted voice came from the cache; ``"skipped"``: nothing to do (no shaping kept,
        or the speech too short to judge).
    seconds, cpu_seconds : float
        Wall-clock and process CPU time (all threads) the stage took.
    detail : str
        A short human-readable note (what the progress row shows).
    value : object
        What the stage made: the :class:`~toolkit.enhance.Enhancement` (enhance: the cleaned reference, or the
        reference as recorded when skipped; ``None`` when given an encoding), the
        :class:`~toolkit.clone.ReferenceEncoding` (encode), the :class:`FitResult`
        (fit), the waveform (generate, shape; ``None`` if shape is skipped), or
        ``{"similarity": {name: float}, "embeddings": {name: array}}`` (evaluate).
    """

    stage: str
    state: str
    seconds: float
    cpu_seconds: float
    detail: str
    value: object = field(repr=False)


def shape_with_voice(y, *, sr, voice: FittedVoice, encoding: ReferenceEncoding):
    """Stage 4 on its own: apply the shaping a fitted voice chose while fitting to speech it generated, and the part
    of its pace Kokoro left to WORLD (:func:`~toolkit.clone.generate.split_speed`).

    Returns
    -------
    np.ndarray or None
        The shaped speech, or ``None`` when the voice keeps no shaping step (the speech is final as it is).
    """
    from dataclasses import replace

    params = replace(voice.shaping, tempo=split_speed(voice.speed)[1])  # the pace past Kokoro's own (WORLD)
    if params.match_loudness and np.isfinite(encoding.profile.loudness_lufs):
        params = replace(params, loudness_lufs=float(encoding.profile.loudness_lufs))
    if params.is_identity():
        return None
    return apply_shaping(y, sr=sr, params=params)


def _evaluate(audio: dict, reference_embedding, extra: dict) -> dict:
    from ..embedding import embed, similarity

    sims, embs = {}, {}
    for name, y in audio.items():
        try:
            embs[name] = embed(y, sr=TTS_SR_HZ)
        except ParameterError:  # under a second of speech: too short for the speaker encoder to judge
            continue
        sims[name] = similarity(embs[name], reference_embedding)
        for other, e in extra.items():
            sims[f"{name}_vs_{other}"] = similarity(embs[name], e)
    return {"similarity": sims, "embeddings": embs}


def run_stages(reference, *, sr=None, text: str, language: str = "en", method: str = "learned+refined",
               refine_steps: int = 3, shape: bool = True, shape_steps=STEPS, match_pace: bool = True,
               use_cache: bool = True, evaluate: bool = True, max_chars: int | None = None,
               text_name: str = "the text", encode=None, also_score: dict | None = None, until: str = "evaluate",
               enhance=ENHANCE_DEFAULT, report=None, clean=None, on_stage=None, accent: str | None = None,
               emotion: float = EMOTION_STRENGTH):
    """Run the stages of a clone in order, reporting each; yields one :class:`StageResult` per stage.

    Parameters
    ----------
    reference : np.ndarray or ReferenceEncoding
        A 5-15 s clip of the target speaker (with ``sr``), or its encoding (the encode stage is then instant).
    sr : int
        Sample rate of ``reference`` (Hz); not needed for an encoding.
    text, language : str
        What to say (checked by :func:`validate_text`, :func:`validate_language` before any work).
    method, refine_steps, shape_steps, match_pace, use_cache :
        As in :func:`fit`; ``shape=False`` fits without shaping and skips the shape stage.
    evaluate : bool or "final"
        Score the speech (GE2E similarity to the reference): every stage's speech (``True``), only the final
        clone's (``"final"``), or not at all (``False``: the stage is skipped).
    max_chars : int, optional
        Refuse longer text.
    text_name : str
        How error messages name the text (see :func:`validate_text`).
    encode : callable, optional
        ``encode(y, sr) -> ReferenceEncoding`` (e.g. one that remembers encodings); default
        :func:`~toolkit.clone.encode_reference`.
    also_score : dict, optional
        Name → embedding: the evaluate stage also scores the speech against these (``"shaped_vs_NAME"``).
    until : str
        Last stage to run (e.g. ``"fit"`` to get the voice only).
    enhance : {"auto", "on", "off"} or bool or sequence of str
        Stage 0, cleaning the reference (:func:`toolkit.enhance.clean_reference`): ``"auto"`` when the report
        card's noise or echo check does not pass, ``"on"``/``True`` always (both: denoise with DeepFilterNet3),
        ``"off"``/``False`` never, or the steps to take. The later stages see the cleaned reference, except that
        the speaker embedding the fit aims at blends it with the recorded one (:func:`toolkit.enhance.blend_encoding`).
    report : toolkit.quality.QualityReport, optional
        The reference's report card, if already computed (``"auto"`` then needs no new check).
    clean : callable, optional
        ``clean(y, sr, steps=..., report=...) -> Enhancement`` (e.g. one that remembers its results); default
        :func:`~toolkit.enhance.clean_reference`.
    on_stage : callable, optional
        ``on_stage(stage, state, detail)`` with ``state`` ``"running"`` before a stage, then ``"done"``,
        ``"cached"``, ``"skipped"`` or ``"failed"`` (``detail`` the error message; the error is re-raised).
    accent : str, optional
        Say the text as a speaker of this language would (e.g. the reference's language;
        :func:`toolkit.synth.phonemes.phonemize`); ``None``: the text's own pronunciation.
    emotion : float
        How far the voice's prosody half follows the reference's delivery (0 = off; see :func:`fit`).

    Yields
    ------
    StageResult

    Examples
    --------
    >>> from toolkit.media import example                                        # doctest: +SKIP
    >>> ref = example("ref_good")                                                 # doctest: +SKIP
    >>> [s.stage for s in run_stages(ref.y, sr=ref.sr, text="Hello there.")]      # doctest: +SKIP
    ['enhance', 'encode', 'fit', 'generate', 'shape', 'evaluate']
    """
    text = validate_text(text, max_chars=max_chars, what=text_name)
    validate_language(language)
    accent = validate_accent(accent, language=language)
    if until not in STAGES:
        raise ParameterError(f"until must be one of {', '.join(STAGES)}, got {until!r}")
    if method not in METHODS:
        raise ParameterError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    mode = {True: "on", False: "off"}.get(enhance, enhance) if isinstance(enhance, (bool, str)) else tuple(enhance)
    if isinstance(mode, str) and mode not in ("auto", "on", "off"):
        raise ParameterError(f"enhance must be auto, on or off (or a list of steps), got {enhance!r}")
    notify = on_stage or (lambda *a: None)
    last = STAGES.index(until)
    state = {}

    def stage_enhance():
        if isinstance(reference, ReferenceEncoding):
            return "skipped", "given an encoding", None
        if reference is None:
            raise ParameterError("there is no reference yet: record yourself, upload a file or pick an example")
        from ..enhance import Enhancement, clean_reference

        if mode == "off":
            return "skipped", "off", Enhancement(reference, sr, (), "switched off")
        from ..quality import UnusableAudioError

        try:
            out = (clean or (lambda y, s, **kw: clean_reference(y, sr=s, **kw)))(reference, sr, steps=mode, report=report)
        except UnusableAudioError:  # silence or no speech: the encode stage says so, in its own words
            return "skipped", "nothing to clean", Enhancement(reference, sr, (), "")
        if not out.steps:
            return "skipped", "clean enough: used as recorded", out
        return "done", f"{out.summary} ({sum(out.seconds.values()):.1f} s)", out

    def stage_encode():
        if isinstance(reference, ReferenceEncoding):
            return "done", "", reference
        cleaned, enc = state["enhance"], encode or (lambda y, s: encode_reference(y, sr=s))
        if cleaned is None or not cleaned.steps:
            return "done", "", enc(reference, sr)
        from ..enhance import blend_encoding  # cleaned: profile and spectrum from it, voice print from both

        return "done", "voice print from the cleaned and the recorded reference", blend_encoding(enc(cleaned.y, sr),
                                                                                                reference, sr=sr)

    def stage_fit():
        t0 = time.perf_counter()
        res = fit(state["encode"], method=method, refine_steps=refine_steps, shape_steps=shape_steps if shape else (),
                  match_pace=match_pace, use_cache=use_cache, emotion=emotion)
        notes = " · ".join(res.delivery)
        if res.cache_hit:
            return "cached", "already fitted" + (f" · {notes}" if notes else ""), res
        return "done", f"{time.perf_counter() - t0:.1f} s" + (f" · {notes}" if notes else ""), res

    def stage_generate():
        return "done", "", np.concatenate(list(speak_stream(state["fit"].voice, text, language=language, accent=accent)))

    def stage_shape():
        y = shape_with_voice(state["generate"], sr=TTS_SR_HZ, voice=state["fit"].voice,
                             encoding=state["encode"]) if shape else None
        return ("skipped", "nothing to shape", None) if y is None else ("done", "", y)

    def stage_evaluate():
        if not evaluate:
            return "skipped", "not asked for", None
        audio = {"generated": state["generate"]}
        if state["shape"] is not None:
            audio["shaped"] = state["shape"]
        if evaluate == "final":
            audio = dict([audio.popitem()])
        out = _evaluate(audio, state["encode"].embedding, also_score or {})
        if not out["similarity"]:
            return "skipped", "under a second of speech: too short to judge", out
        return "done", "", out

    runners = {"enhance": stage_enhance, "encode": stage_encode, "fit": stage_fit, "generate": stage_generate, "shape": stage_shape,
               "evaluate": stage_evaluate}
    for name in STAGES[: last + 1]:
        notify(name, "running", FIT_HINT if name == "fit" else "")
        t, c = time.perf_counter(), time.process_time()
        try:
            st, detail, value = runners[name]()
        except Exception as exc:
            notify(name, "failed", str(exc))
            raise
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        state[name] = value
        detail = detail or f"{wall:.1f} s"
        notify(name, st, detail)
        yield StageResult(name, st, wall, cpu, detail, value)


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
    embeddings : dict
        Stage name → GE2E embedding of that stage's speech (what ``similarity`` was computed from).
    delivery : toolkit.clone.delivery.DeliveryTransfer or None
        "Say it like me" (``clone(..., like_me=True)``): the reference's timing and melody put on the clone,
        which is then ``audio["like_me"]`` and :attr:`y`.
    enhancement : toolkit.enhance.Enhancement or None
        What stage 0 did to the reference (``.steps`` empty: used as recorded; ``None``: given an encoding).
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
    embeddings: dict = field(default_factory=dict, repr=False)
    delivery: object = field(default=None, repr=False)
    enhancement: object = field(default=None, repr=False)

    @property
    def y(self) -> np.ndarray:
        """The final clone (the last stage made)."""
        for name in ("like_me", "shaped"):
            if name in self.audio:
                return self.audio[name]
        return self.audio["generated"]

    @property
    def duration_s(self) -> float:
        return len(self.y) / self.sr

    @classmethod
    def from_stages(cls, stages) -> "CloneResult":
        """Collect the :class:`StageResult` s of one :func:`run_stages` run (through *shape* at least)."""
        by = {s.stage: s for s in stages}
        fitted = by["fit"].value
        audio = {"generated": by["generate"].value}
        if by["shape"].value is not None:
            audio["shaped"] = by["shape"].value
        sims, embs = {}, {}
        if fitted.trace is not None:
            sims["fit_first"] = float(fitted.trace.similarities[0])
            sims["fit_best"] = float(fitted.trace.similarities[fitted.trace.best])
        timings = {}
        for s in by.values():
            if s.stage == "evaluate" and s.value is None:
                continue
            timings[s.stage] = s.seconds
            if s.stage in ("generate", "shape"):
                timings[f"{s.stage}_cpu"] = s.cpu_seconds
        if "evaluate" in by and by["evaluate"].value is not None:
            sims.update(by["evaluate"].value["similarity"])
            embs = by["evaluate"].value["embeddings"]
        enh = by["enhance"].value if "enhance" in by else None
        return cls(by["encode"].value, fitted.voice, fitted.trace, fitted.shaping_log, audio, TTS_SR_HZ, sims,
                   timings, fitted.cache_hit, embs, enhancement=enh)


def clone(reference, *, sr, text: str, language: str = "en", method: str = "learned+refined",
          refine_steps: int = 3, shape: bool = True, shape_steps=STEPS, match_pace: bool = True,
          use_cache: bool = True, evaluate: bool = True, enhance=ENHANCE_DEFAULT, on_stage=None,
          accent: str | None = None, like_me: bool = False, emotion: float = EMOTION_STRENGTH) -> CloneResult:
    """Clone the voice of ``reference`` saying ``text`` (all of :func:`run_stages`, collected).

    Parameters
    ----------
    reference : np.ndarray or ReferenceEncoding
        A 5-15 s clip of the target speaker (or its encoding, to skip stage 1).
    sr : int
        Sample rate of ``reference`` (Hz).
    text : str
        What the clone should say; long text is split into sentences.
    language : str
        Language of ``text`` (see :data:`toolkit.defaults.LANGUAGES`).
    method : {"nearest", "learned", "learned+refined"}
        How the voice is found (stage 2).
    refine_steps : int
        Syntheses spent on refinement.
    shape : bool
        Apply the shaping chosen while fitting.
    shape_steps : sequence of str
        Which shaping steps may be used (subset of :data:`toolkit.clone.shape.STEPS`).
    match_pace : bool
        Match the speaking rate with Kokoro's speed factor.
    use_cache : bool
        Reuse a voice fitted earlier to the same reference with the same settings.
    evaluate : bool
        Score the generated and shaped speech against the reference.
    enhance : {"auto", "on", "off"} or bool
        Clean the reference first (stage 0, see :func:`run_stages`).
    on_stage : callable, optional
        Progress callback, as in :func:`run_stages`.
    accent : str, optional
        Say the text as a speaker of this language would (see :func:`run_stages`).
    like_me : bool
        "Say it like me": ``reference`` says ``text`` itself, so give the clone its timing and melody
        (:func:`toolkit.clone.delivery.transfer_delivery`; refused with one line when the two clearly differ).
    emotion : float
        How far the voice's prosody half follows the reference's delivery (0 = off; see :func:`fit`).

    Returns
    -------
    CloneResult

    Examples
    --------
    >>> from toolkit.media import example                          # doctest: +SKIP
    >>> ref = example("ref_good")                                   # doctest: +SKIP
    >>> out = clone(ref.y, sr=ref.sr, text="Hello there.")          # doctest: +SKIP
    """
    res = CloneResult.from_stages(run_stages(
        reference, sr=sr, text=text, language=language, method=method, refine_steps=refine_steps, shape=shape,
        shape_steps=shape_steps, match_pace=match_pace, use_cache=use_cache, evaluate=evaluate, enhance=enhance,
        on_stage=on_stage, accent=accent, emotion=emotion))
    if not like_me:
        return res
    from dataclasses import replace

    from .delivery import transfer_delivery

    out = transfer_delivery(res.y, sr=res.sr, reference_y=res.encoding.y, reference_sr=res.encoding.sr)
    sims, embs = dict(res.similarity), dict(res.embeddings)
    if evaluate:
        scored = _evaluate({"like_me": out.y}, res.encoding.embedding, {})
        sims.update(scored["similarity"])
        embs.update(scored["embeddings"])
    return replace(res, audio={**res.audio, "like_me": out.y}, delivery=out, similarity=sims, embeddings=embs)


def clone_stream(reference, *, sr, text: str, language: str = "en", method: str = "learned+refined",
                 refine_steps: int = 3, shape: bool = True, use_cache: bool = True, enhance=ENHANCE_DEFAULT,
                 on_stage=None, accent: str | None = None, emotion: float = EMOTION_STRENGTH):
    """Yield the clone sentence by sentence (24 kHz arrays) as each is made and shaped.

    :func:`run_stages` encodes and fits the voice (or loads it from the cache) before the first sentence;
    then each sentence is generated and shaped as the shape stage would.
    """
    stages = {s.stage: s.value for s in run_stages(reference, sr=sr, text=text, language=language, method=method,
                                                   refine_steps=refine_steps, shape=shape, use_cache=use_cache,
                                                   enhance=enhance, until="fit", on_stage=on_stage,
                                                   accent=accent, emotion=emotion)}
    enc, voice = stages["encode"], stages["fit"].voice
    for y in speak_stream(voice, validate_text(text), language=language, accent=accent):
        shaped = shape_with_voice(y, sr=TTS_SR_HZ, voice=voice, encoding=enc) if shape else None
        yield y if shaped is None else shaped
