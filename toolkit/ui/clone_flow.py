"""The app's clone, stage by stage: encode → fit → generate → shape → evaluate, with a progress row per stage.

:class:`CloneFlow` runs the stages of :mod:`toolkit.clone` one call at a time
(``encode_reference``, ``fit``, ``speak_stream``, the fitted voice's shaping,
the speaker encoder) and reports each one to a callback, so the page can show
which stage is running. It keeps each reference's encoding, and the engine
caches each fitted voice on disk, so a second text for the same reference skips
straight to *generate*. :class:`StageProgress` is that callback's view: one row
per stage with its state and time.

Taught in ``notebooks/05_zero_shot_cloning.ipynb`` (the stages) and served by ``notebooks/app.ipynb``.
"""

from __future__ import annotations

import html
import time
from dataclasses import dataclass, field

import numpy as np

from ..audio import Clip
from ..errors import ParameterError, ToolkitError

__all__ = ["STAGES", "MAX_TEXT_CHARS", "FlowResult", "CloneFlow", "StageProgress", "check_text", "shape_output"]

#: The stages in order: key → label shown on the page.
STAGES = {"encode": "Encode the reference", "fit": "Fit the voice", "generate": "Generate speech",
          "shape": "Shape toward the reference", "evaluate": "Evaluate similarity"}
#: Longest text the app clones in one go (characters): about 40 s of speech.
MAX_TEXT_CHARS = 600
#: How long fitting a new voice takes on a 2-core machine (s), for the progress hint.
FIT_HINT_S = "10-25 s"


def check_text(text, *, max_chars: int = MAX_TEXT_CHARS) -> str:
    """The text to clone, stripped; raises :class:`~toolkit.errors.ParameterError` if empty or too long.

    Examples
    --------
    >>> check_text("  Hello there.  ")
    'Hello there.'
    """
    if not isinstance(text, str) or not text.strip():
        raise ParameterError("the text box is empty; type a sentence (or pick a suggestion) for the clone to say")
    text = text.strip()
    if len(text) > max_chars:
        raise ParameterError(f"the text is {len(text)} characters long; the demo clones up to {max_chars} at a "
                             "time, shorten it and clone again")
    return text


def shape_output(y, *, sr, voice, encoding, shape: bool = True):
    """Apply a fitted voice's shaping (chosen while fitting) to speech it generated; ``y`` itself if none applies.

    The same step :func:`toolkit.clone.clone` runs as its stage 3.
    """
    from ..clone import shape_with_voice

    shaped = shape_with_voice(y, sr=sr, voice=voice, encoding=encoding) if shape else None
    return y if shaped is None else shaped


@dataclass(frozen=True)
class FlowResult:
    """One clone made by the app.

    Attributes
    ----------
    reference : toolkit.audio.Clip
        The reference it was cloned from.
    text, language : str
    y : np.ndarray
        The clone (``sr`` Hz).
    sr : int
    embedding : np.ndarray [shape=(256,)]
        GE2E embedding of the clone.
    similarity : float
        Speaker similarity of the clone to the reference.
    similarity_to_original : float or None
        Similarity to the untweaked reference, when the reference was a tweaked copy.
    fitted_now : bool
        The voice was fitted for this clone (``False``: it came from the cache).
    timings_s : dict
        Stage → wall-clock seconds.
    """

    reference: Clip
    encoding: object = field(repr=False)
    voice: object = field(repr=False)
    text: str
    language: str
    y: np.ndarray = field(repr=False)
    sr: int
    embedding: np.ndarray = field(repr=False)
    similarity: float
    similarity_to_original: float | None
    fitted_now: bool
    timings_s: dict


class CloneFlow:
    """Clone stage by stage, reporting each stage; keeps the encodings of the references it has seen.

    Parameters
    ----------
    method : str
        How the voice is fitted (see :func:`toolkit.clone.fit`).
    use_cache : bool
        Reuse voices fitted earlier (on disk, :func:`toolkit.clone.cache_dir`).

    Examples
    --------
    >>> from toolkit.media import example                                   # doctest: +SKIP
    >>> res = CloneFlow().run(example("ref_good"), text="Hello there.")      # doctest: +SKIP
    >>> res.similarity > 0.7                                                # doctest: +SKIP
    True
    """

    def __init__(self, *, method: str = "learned+refined", use_cache: bool = True):
        self.method = method
        self.use_cache = use_cache
        self._encodings = {}

    def encode(self, clip: Clip):
        """The :class:`~toolkit.clone.ReferenceEncoding` of a clip (computed once per clip)."""
        from ..clone import encode_reference
        from ..clone.encode import audio_key

        key = (audio_key(clip.y), int(clip.sr))
        if key not in self._encodings:
            self._encodings[key] = encode_reference(clip.y, sr=clip.sr)
        return self._encodings[key]

    def run(self, clip: Clip, *, text: str, language: str = "en", original: Clip | None = None,
            on_stage=None) -> FlowResult:
        """Clone ``clip`` saying ``text``.

        Parameters
        ----------
        clip : toolkit.audio.Clip
            The reference.
        text : str
            Checked by :func:`check_text`.
        language : str
        original : toolkit.audio.Clip, optional
            The clip ``clip`` was made from (by the tweaker): the clone is also scored against it.
        on_stage : callable, optional
            ``on_stage(stage, state, detail)`` with ``state`` one of ``"running"``, ``"done"``, ``"cached"``,
            ``"skipped"``, ``"failed"``; ``detail`` is a short text (time taken, or the error).

        Raises
        ------
        toolkit.errors.ToolkitError
            For empty or long text and unusable references (after reporting the failed stage).
        """
        from ..clone import fit, speak_stream
        from ..defaults import TTS_SR_HZ as sr
        from ..embedding import embed, similarity

        report = on_stage or (lambda *a: None)
        text = check_text(text)
        if clip is None:
            raise ParameterError("there is no reference yet: record yourself, upload a file or pick an example")
        timings = {}
        stage = "encode"
        try:
            t = time.perf_counter()
            report("encode", "running", "")
            enc = self.encode(clip)
            timings["encode"] = time.perf_counter() - t
            report("encode", "done", f"{timings['encode']:.1f} s")

            stage, t = "fit", time.perf_counter()
            report("fit", "running", f"first time for this voice: {FIT_HINT_S}")
            voice, _, _, hit = fit(enc, method=self.method, use_cache=self.use_cache)
            timings["fit"] = time.perf_counter() - t
            report("fit", "cached" if hit else "done", "already fitted" if hit else f"{timings['fit']:.1f} s")

            stage, t = "generate", time.perf_counter()
            report("generate", "running", "")
            y = np.concatenate(list(speak_stream(voice, text, language=language)))
            timings["generate"] = time.perf_counter() - t
            report("generate", "done", f"{timings['generate']:.1f} s")

            stage, t = "shape", time.perf_counter()
            report("shape", "running", "")
            shaped = shape_output(y, sr=sr, voice=voice, encoding=enc)
            timings["shape"] = time.perf_counter() - t
            report("shape", "done" if shaped is not y else "skipped",
                   f"{timings['shape']:.1f} s" if shaped is not y else "nothing to shape")
            y = shaped

            stage, t = "evaluate", time.perf_counter()
            report("evaluate", "running", "")
            e = embed(y, sr=sr)
            sim = similarity(e, enc.embedding)
            sim_orig = None
            if original is not None:
                sim_orig = similarity(e, self.encode(original).embedding)
            timings["evaluate"] = time.perf_counter() - t
            report("evaluate", "done", f"{timings['evaluate']:.1f} s")
        except ToolkitError as exc:
            report(stage, "failed", str(exc))
            raise
        return FlowResult(clip, enc, voice, text, language, y, sr, e, sim, sim_orig, not hit, timings)


_ICON = {"waiting": "○", "running": "◔", "done": "✔", "cached": "✔", "skipped": "–", "failed": "✖"}
_COLOUR = {"waiting": "#5b6675", "running": "#1d4ed8", "done": "#166534", "cached": "#166534",
           "skipped": "#5b6675", "failed": "#991b1b"}


def stages_html(states: dict) -> str:
    """An ordered list of the stages with their state (``{stage: (state, detail)}``) as HTML (pure).

    Examples
    --------
    >>> "Fit the voice" in stages_html({})
    True
    """
    rows = []
    for key, label in STAGES.items():
        state, detail = states.get(key, ("waiting", ""))
        extra = f" <span class='vcl-stage-detail'>· {html.escape(detail)}</span>" if detail else ""
        rows.append(f"<li class='vcl-stage vcl-stage-{state}' data-stage='{key}' style='color:{_COLOUR[state]}'>"
                    f"<span class='vcl-stage-icon' aria-hidden='true'>{_ICON[state]}</span> "
                    f"<b>{html.escape(label)}</b>{extra}</li>")
    return f"<ol class='vcl-stages' aria-label='Cloning progress'>{''.join(rows)}</ol>"


class StageProgress:
    """The per-stage progress rows; pass :meth:`update` as ``on_stage`` to :meth:`CloneFlow.run`."""

    def __init__(self):
        import ipywidgets as widgets

        self.states = {}
        self.widget = widgets.HTML(stages_html({}))
        self.widget.add_class("vcl-progress")

    def reset(self) -> None:
        self.states = {}
        self.widget.value = stages_html({})

    def update(self, stage: str, state: str, detail: str = "") -> None:
        if state == "failed":  # a failure is said once, in the status line; the row only marks where
            detail = "stopped here"
        self.states[stage] = (state, detail)
        self.widget.value = stages_html(self.states)
