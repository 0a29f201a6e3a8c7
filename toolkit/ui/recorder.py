"""The recorder panel: microphone (in the browser), file upload or an example clip → one :class:`~toolkit.audio.Clip`.

Recording uses ipywebrtc's ``AudioRecorder``: the browser records WebM/Opus
from the microphone and sends the bytes to the kernel, where
:func:`toolkit.audio.load_bytes` decodes them. Whatever the source, the panel
shows the clip's waveform, duration and level as soon as it arrives and calls
every callback registered with :meth:`RecorderPanel.on_clip`.

A bad upload or a failed decode shows a one-line message in the panel and
keeps the previous clip: the user never loses a recording. A long recording or
upload is cut to its :data:`MAX_CLIP_S` seconds with the most speech (the panel
says which part), so the report card checks what the cloner would use. Files
over :data:`MAX_UPLOAD_BYTES` are refused: in the browser before they are sent
(the lab's Voila template reads the cap from the upload button's
``vcl-upload-max-<bytes>`` class and reports through the hidden
``.vcl-upload-refused`` box), and in the kernel should one still arrive.
"""

from __future__ import annotations

import logging

import ipywidgets as widgets
import traitlets

from ..audio import Clip, load_bytes, to_wav_bytes
from ..defaults import MAX_UPLOAD_BYTES
from ..errors import ToolkitError
from ..media import example, list_examples, picker_options
from .common import error_html, info_html, show_figure

__all__ = ["RecorderPanel", "clip_summary", "MAX_UPLOAD_BYTES", "MAX_CLIP_S"]

log = logging.getLogger(__name__)

ACCEPT = "audio/*,.wav,.flac,.ogg,.mp3,.webm,.m4a,.opus"
#: A recording or upload longer than this (s) is cut to its part with the most speech: the report card calls
#: anything longer "more than the model needs" (``toolkit.quality.checks.DURATION_LONG_S``).
MAX_CLIP_S = 30.0


def _too_big(name: str, n_bytes: int) -> str:
    return (f"{name} is {n_bytes / 1e6:.0f} MB; the lab takes files up to {MAX_UPLOAD_BYTES / 1e6:.0f} MB: "
            "export 15-30 s of it (or save it as MP3/OGG) and upload that")


def _best_part(y, *, sr, max_s: float = MAX_CLIP_S):
    """``(start_s, end_s)`` of the part of ``y`` to keep: the ``max_s`` seconds with the most speech.

    Examples
    --------
    >>> import numpy as np
    >>> _best_part(np.zeros(16000, np.float32), sr=16000)
    (0.0, 1.0)
    """
    from ..analysis.rhythm import busiest_window, speech_segments
    from ..audio import resample
    from ..defaults import ANALYSIS_SR_HZ

    total_s = len(y) / float(sr)
    if total_s <= max_s:
        return 0.0, total_s
    y16 = resample(y, sr=sr, target_sr=ANALYSIS_SR_HZ)  # polyphase: light on memory for a 10-minute file
    return busiest_window(speech_segments(y16, sr=ANALYSIS_SR_HZ), total_s=total_s, max_s=max_s)


def clip_summary(clip: Clip) -> str:
    """One line describing a clip: duration, peak and RMS level.

    Examples
    --------
    >>> import numpy as np
    >>> clip_summary(Clip(np.full(16000, 0.5, np.float32), 16000, name="x"))
    'x: 1.00 s · peak -6.0 dBFS · RMS -6.0 dBFS'
    >>> clip_summary(Clip(np.zeros(8000, np.float32), 16000, name="x"))
    'x: 0.50 s · silent (every sample is zero)'
    """
    import math

    if not math.isfinite(clip.peak_dbfs):
        return f"{clip.name}: {clip.duration_s:.2f} s · silent (every sample is zero)"
    return f"{clip.name}: {clip.duration_s:.2f} s · peak {clip.peak_dbfs:.1f} dBFS · RMS {clip.rms_dbfs:.1f} dBFS"


class RecorderPanel(traitlets.HasTraits):
    """Record, upload or pick a clip; the latest one is in :attr:`clip`.

    Parameters
    ----------
    examples : bool
        Offer the lab's example clips in a drop-down.
    example_kind : str or None
        The menu offers the lab's real recorded voices first (named by accent and sex), then its
        synthesised clips of this kind (``"speech"``, ``"synthetic"``); ``None`` for every clip the lab makes.
    initial_example : str or None
        Load this example at start, so that the rest of a notebook has a clip to work on.
    show_waveform : bool
        Draw the waveform of each new clip.
    heading : bool
        Start with the panel's own heading (off when a page's card already names the section).
    hide_empty_player : bool
        Hide the player until there is a clip to play.

    Examples
    --------
    >>> panel = RecorderPanel(initial_example="tone_a3", show_waveform=False)
    >>> round(panel.clip.duration_s, 1)
    2.0
    """

    clip = traitlets.Any(None, allow_none=True)

    def __init__(self, *, examples: bool = True, example_kind=None, initial_example=None, show_waveform: bool = True,
                 heading: bool = True, hide_empty_player: bool = False):
        super().__init__()
        self._show_waveform = show_waveform
        self._callbacks = []

        # Microphone: ipywebrtc records in the browser; our labelled toggle drives it without a kernel round trip.
        from ipywebrtc import AudioRecorder, CameraStream

        self._stream = CameraStream(constraints={"audio": True, "video": False})
        self.recorder = AudioRecorder(stream=self._stream, format="webm", codecs="opus",
                                      layout=widgets.Layout(display="none"))
        self.record_button = widgets.ToggleButton(value=False, description="Record", icon="microphone",
                                                  tooltip="Start recording from your microphone; click again to stop",
                                                  button_style="danger", layout=widgets.Layout(width="130px"))
        self.record_button.add_class("vcl-record")
        widgets.jslink((self.record_button, "value"), (self.recorder, "recording"))
        self.record_button.observe(self._on_toggle, "value")
        self.recorder.audio.observe(self._on_recorded, "value")

        self.upload = widgets.FileUpload(accept=ACCEPT, multiple=False, description="Upload a file",
                                         tooltip="WAV, FLAC, OGG, MP3 or WebM audio", layout=widgets.Layout(width="170px"))
        self.upload.add_class("vcl-upload")
        self.upload.add_class(f"vcl-upload-max-{MAX_UPLOAD_BYTES}")
        # the browser refuses a file over the cap before sending it and says so here ("name|bytes|time")
        self.refused = widgets.Text(value="", layout=widgets.Layout(display="none"))
        self.refused.add_class("vcl-upload-refused")
        self.refused.observe(self._on_refused, "value")
        self.upload.observe(self._on_upload, "value")

        options = [("(choose an example)", "")]
        if examples:
            options += picker_options(synthetic_kind=example_kind)
            if example_kind is None:  # every made clip too (tones, sweeps, the synthesised references)
                options += [(e.description, e.key) for e in list_examples() if e.kind != "recording"]
            if initial_example and initial_example not in {key for _, key in options}:
                info = {e.key: e for e in list_examples()}.get(initial_example)  # a clip a notebook starts on
                options.append((info.label if info else initial_example, initial_example))
        self.picker = widgets.Dropdown(options=options, value="", description="Example:",
                                       layout=widgets.Layout(width="min(100%, 460px)"),
                                       style={"description_width": "initial"}, disabled=not examples)
        self.picker.observe(self._on_pick, "value")

        self.status = widgets.HTML(info_html("Record yourself, upload a file, or pick an example."))
        self.status.add_class("vcl-status")
        self.summary = widgets.HTML("")
        self.summary.add_class("vcl-clip-summary")
        self.player = widgets.Audio(autoplay=False, controls=True, format="wav",
                                    layout=widgets.Layout(width="min(100%, 460px)",
                                                          display="none" if hide_empty_player else None))
        self.plot_out = widgets.Output()
        self.plot_out.add_class("vcl-waveform")

        controls = widgets.HBox([self.record_button, self.upload], layout=widgets.Layout(flex_flow="row wrap"))
        self.widget = widgets.VBox([
            *([widgets.HTML("<b>Your reference</b>")] if heading else []),
            controls, self.picker, self.status, self.summary, self.player, self.plot_out, self.recorder, self.refused,
        ], layout=widgets.Layout(width="100%"))
        self.widget.add_class("vcl-recorder")
        if initial_example:
            self.picker.value = initial_example

    # --- public API ----------------------------------------------------------
    def on_clip(self, callback) -> None:
        """Call ``callback(clip)`` every time a new clip arrives (and now, if there is one)."""
        self._callbacks.append(callback)
        if self.clip is not None:
            self._run_callback(callback, self.clip)

    def say(self, message_html: str) -> None:
        """Show ``message_html`` in the panel's status line (e.g. an :func:`~toolkit.ui.common.error_html`)."""
        self.status.value = message_html

    @property
    def mic_audio(self):
        """The microphone's latest recording as the browser sent it (the ipywebrtc recorder's value)."""
        return self.recorder.audio.value

    def on_mic_audio(self, callback) -> None:
        """Call ``callback(change)`` each time the microphone sends a recording (after the panel handled it)."""
        self.recorder.audio.observe(callback, "value")

    def set_clip(self, clip: Clip) -> None:
        """Make ``clip`` the current clip: show it and notify the callbacks."""
        self.clip = clip
        self.summary.value = f"<span class='vcl-duration'>{clip_summary(clip)}</span>"
        self.player.value = to_wav_bytes(clip.y, sr=clip.sr)
        self.player.layout.display = None
        if self._show_waveform:
            self._draw(clip)
        for cb in self._callbacks:
            self._run_callback(cb, clip)

    def load_bytes(self, data: bytes, *, name: str, source: str) -> bool:
        """Decode encoded audio and make it the current clip; on failure, say why and keep the old clip."""
        kept = " Your previous clip is kept." if self.clip is not None else ""
        if len(data) > MAX_UPLOAD_BYTES:
            self.status.value = error_html(_too_big(name, len(data)) + "." + kept)
            return False
        if len(data) > 2_000_000:  # decoding and choosing the best part of a long file takes a few seconds
            self.status.value = info_html(f"Reading {name} ({len(data) / 1e6:.0f} MB)…")
        try:
            y, sr = load_bytes(data, what=name)
        except ToolkitError as exc:
            self.status.value = error_html(f"{exc}.{kept}")
            return False
        start_s, end_s = _best_part(y, sr=sr)
        if end_s - start_s < len(y) / sr:
            self.status.value = info_html(
                f"Got {name} ({source}, {len(y) / sr:.0f} s): kept its {end_s - start_s:.0f} s with the most speech "
                f"({start_s:.1f}-{end_s:.1f} s), enough for a reference; trim it yourself to choose another part.")
            y = y[int(round(start_s * sr)):int(round(end_s * sr))]
        else:
            self.status.value = info_html(f"Got {name} ({source}).")
        self.set_clip(Clip(y, sr, name=name, source=source))
        return True

    # --- callbacks -----------------------------------------------------------
    def _run_callback(self, cb, clip):
        try:
            cb(clip)
        except ToolkitError as exc:
            self.status.value = error_html(str(exc))
        except Exception as exc:  # a panel's bug must not take the recorder down
            log.exception("callback failed")
            self.status.value = error_html(f"something went wrong while using this clip ({type(exc).__name__}: {exc})")

    def _on_toggle(self, change):
        if change["new"]:
            self.record_button.description = "Stop"
            self.record_button.icon = "stop"
            self.status.value = info_html("Recording… click Stop when you are done (5-15 s of speech is ideal).")
        else:
            self.record_button.description = "Record"
            self.record_button.icon = "microphone"
            self.status.value = info_html("Decoding your recording…")

    def _on_recorded(self, change):
        data = change["new"]
        if not data:
            return
        self.load_bytes(bytes(data), name="my recording", source="microphone")

    def _on_upload(self, change):
        files = change["new"]
        if not files:
            return
        f = files[0]
        self.load_bytes(bytes(f["content"]), name=f.get("name", "upload"), source="upload")

    def _on_refused(self, change):
        name, _, rest = change["new"].partition("|")
        n_bytes = rest.partition("|")[0]
        if not name or not n_bytes.isdigit():
            return
        kept = " Your previous clip is kept." if self.clip is not None else ""
        self.status.value = error_html(_too_big(name, int(n_bytes)) + "." + kept)

    def _on_pick(self, change):
        key = change["new"]
        if not key:
            return
        try:
            clip = example(key)
        except ToolkitError as exc:
            self.status.value = error_html(str(exc))
            return
        self.status.value = info_html(f"Loaded example “{key}”.")
        self.set_clip(clip)

    def _draw(self, clip: Clip):
        from ..plot import plot_waveform

        with self.plot_out:
            self.plot_out.clear_output(wait=True)
            import matplotlib.pyplot as plt

            fig, ax = plt.subplots(figsize=(7, 1.8), layout="constrained")
            plot_waveform(clip.y, sr=clip.sr, ax=ax)
            ax.set_title(clip.name, fontsize=10)
            show_figure(fig)

