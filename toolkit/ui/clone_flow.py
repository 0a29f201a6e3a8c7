"""The app's clone, stage by stage: clean → encode → fit → generate → shape → evaluate, with a progress row per stage.

:class:`CloneFlow` runs :func:`toolkit.clone.run_stages` (the one place the stage
sequence is written; the CLI and :func:`toolkit.clone.clone` call it too) and
passes each stage's start and end to a callback, so the page can show which
stage is running. It keeps each reference's encoding, and the engine caches
each fitted voice on disk, so a second text for the same reference skips
straight to *generate*. :class:`StageProgress` is that callback's view: one row
per stage with its state and time.

Taught in ``notebooks/05_zero_shot_cloning.ipynb`` (the stages) and served by ``notebooks/app.ipynb``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np

from ..audio import Clip
from ..defaults import MAX_TEXT_CHARS
from ..errors import ParameterError

__all__ = ["STAGES", "MAX_TEXT_CHARS", "FlowResult", "CloneFlow", "StageProgress", "check_text", "shape_output",
           "delivery_jpeg"]

#: The stages in the engine's order (:data:`toolkit.clone.STAGES`, a test holds them equal): key → label on
#: the page. Written out so that loading the page does not import the engine.
STAGES = {"enhance": "Clean the reference", "encode": "Encode the reference", "fit": "Fit the voice",
          "generate": "Generate speech", "shape": "Shape toward the reference", "evaluate": "Evaluate similarity"}


def check_text(text, *, max_chars: int = MAX_TEXT_CHARS) -> str:
    """The text box's text, stripped (:func:`toolkit.clone.validate_text`, naming the text box in errors).

    Examples
    --------
    >>> check_text("  Hello there.  ")
    'Hello there.'
    """
    from ..clone import validate_text

    return validate_text(text, max_chars=max_chars, what="the text box")


def shape_output(y, *, sr, voice, encoding, shape: bool = True):
    """Apply a fitted voice's shaping (chosen while fitting) to speech it generated; ``y`` itself if none applies.

    The same step :func:`toolkit.clone.run_stages` runs as its shape stage.
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
    embedding : np.ndarray [shape=(256,)] or None
        GE2E embedding of the clone; ``None`` when the clone holds under a second of speech (too short for
        the speaker encoder: a few words at a fast pace), which is shown but not scored.
    similarity : float or None
        Speaker similarity of the clone to the reference (``None``: too short to score).
    similarity_to_original : float or None
        Similarity to the untweaked reference, when the reference was a tweaked copy.
    fitted_now : bool
        The voice was fitted for this clone (``False``: it came from the cache).
    timings_s : dict
        Stage → wall-clock seconds.
    delivery : toolkit.clone.delivery.DeliveryTransfer or None
        "Say it like me": the reference's timing and melody, put on the clone (``y`` is then that clone).
    delivery_note : str
        Why "say it like me" was asked for but not applied (empty otherwise).
    accent : str or None
        The accent the text was read with (``None``: native).
    enhancement : toolkit.enhance.Enhancement or None
        What the clean stage did (``.steps`` empty: the reference was used as recorded).
    enhance : str
        The mode the clone was made with (``"auto"``, ``"on"``, ``"off"``).
    """

    reference: Clip
    encoding: object = field(repr=False)
    voice: object = field(repr=False)
    text: str
    language: str
    y: np.ndarray = field(repr=False)
    sr: int
    embedding: np.ndarray | None = field(repr=False)
    similarity: float | None
    similarity_to_original: float | None
    fitted_now: bool
    timings_s: dict
    delivery: object = field(default=None, repr=False)
    delivery_note: str = ""
    accent: str | None = None
    enhancement: object = field(default=None, repr=False)
    enhance: str = "auto"


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
        self._cleaned = {}

    def clean(self, clip: Clip, *, enhance: str = "auto", report=None):
        """The :class:`~toolkit.enhance.Enhancement` of a clip in a mode (computed once per clip and mode)."""
        from ..clone.encode import audio_key
        from ..enhance import clean_reference

        key = (audio_key(clip.y), int(clip.sr), enhance)
        if key not in self._cleaned:
            if len(self._cleaned) > 8:
                self._cleaned.pop(next(iter(self._cleaned)))
            self._cleaned[key] = clean_reference(clip.y, sr=clip.sr, steps=enhance, report=report)
        return self._cleaned[key]

    def encode(self, clip: Clip):
        """The :class:`~toolkit.clone.ReferenceEncoding` of a clip (computed once per clip)."""
        from ..clone import encode_reference
        from ..clone.encode import audio_key

        key = (audio_key(clip.y), int(clip.sr))
        if key not in self._encodings:
            if len(self._encodings) > 16:
                self._encodings.pop(next(iter(self._encodings)))
            self._encodings[key] = encode_reference(clip.y, sr=clip.sr)
        return self._encodings[key]

    def run(self, clip: Clip, *, text: str, language: str = "en", original: Clip | None = None,
            enhance: str = "auto", report=None, on_stage=None, accent: str | None = None,
            like_me: bool = False) -> FlowResult:
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
        enhance : {"auto", "on", "off"}
            Clean the reference first (:func:`toolkit.enhance.clean_reference`); ``"auto"``: when the report
            card finds noise or echo.
        report : toolkit.quality.QualityReport, optional
            ``clip``'s report card, already computed (the page's); saves checking it again.
        on_stage : callable, optional
            ``on_stage(stage, state, detail)`` with ``state`` one of ``"running"``, ``"done"``, ``"cached"``,
            ``"skipped"``, ``"failed"``; ``detail`` is a short text (time taken, or the error).
        accent : str, optional
            Read the text as a speaker of this language would (see :func:`toolkit.synth.phonemes.phonemize`).
        like_me : bool
            "Say it like me": the reference says the text, so give the clone its timing and melody
            (:func:`toolkit.clone.delivery.transfer_delivery`). When the two clearly differ, the clone is kept
            as it was and ``delivery_note`` says why.

        Raises
        ------
        toolkit.errors.ToolkitError
            For empty or long text and unusable references (after reporting the failed stage).
        """
        from ..clone import run_stages
        from ..defaults import TTS_SR_HZ as sr

        text = check_text(text)
        if clip is None:
            raise ParameterError("there is no reference yet: record yourself, upload a file or pick an example")
        also = {"original": self.encode(original).embedding} if original is not None else None
        stages = {s.stage: s for s in run_stages(clip.y, sr=clip.sr, text=text, language=language, method=self.method,
                                                 use_cache=self.use_cache, encode=lambda y, r: self.encode(Clip(y, r)),
                                                 evaluate="final", also_score=also, enhance=enhance,
                                                 clean=lambda y, r, **kw: self.clean(clip, enhance=enhance, report=report),
                                                 on_stage=on_stage, accent=accent)}
        enc, fitted = stages["encode"].value, stages["fit"].value
        final = "shaped" if stages["shape"].value is not None else "generated"
        scores = stages["evaluate"].value
        y = stages["shape"].value if final == "shaped" else stages["generate"].value
        timings = {k: s.seconds for k, s in stages.items()}
        # under a second of speech (a few words at a fast pace): the clone is kept, just not scored
        emb, sim = scores["embeddings"].get(final), scores["similarity"].get(final)
        sim_orig = scores["similarity"].get(f"{final}_vs_original")
        delivery, note = None, ""
        if like_me:
            from ..clone.delivery import transfer_delivery
            from ..embedding import embed, similarity

            try:
                delivery = transfer_delivery(y, sr=sr, reference_y=clip.y, reference_sr=clip.sr)
            except ParameterError as exc:
                note = str(exc)
            else:
                y, emb, sim, sim_orig = delivery.y, None, None, None
                try:
                    emb = embed(delivery.y, sr=sr)
                except ParameterError:  # under a second of speech: shown, not scored
                    pass
                else:
                    sim = similarity(emb, enc.embedding)
                    if original is not None:
                        sim_orig = similarity(emb, self.encode(original).embedding)
        return FlowResult(clip, enc, fitted.voice, text, language, y, sr, emb, sim, sim_orig, not fitted.cache_hit,
                          timings, delivery, note, None if accent in (None, "", "native", language) else accent,
                          stages["enhance"].value, enhance)


def delivery_jpeg(transfer) -> bytes:
    """JPEG of "say it like me"'s pitch contours (:func:`toolkit.plot.plot_delivery`), small enough for the page."""
    from matplotlib.figure import Figure

    from ..plot import plot_delivery
    from .common import figure_jpeg

    fig = Figure(figsize=(6.4, 2.4), dpi=80)
    plot_delivery(transfer, ax=fig.add_subplot(), title="Your melody on the clone")
    fig.tight_layout()
    return figure_jpeg(fig)


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
