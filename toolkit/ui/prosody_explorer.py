"""The prosody explorer: pitch level, pitch range, tempo and pauses → new audio beside the original.

It only wires controls to :mod:`toolkit.prosody`: the clip is analysed once
with WORLD (:func:`~toolkit.prosody.world_analyze`, the slow half); every
slider move calls :func:`~toolkit.prosody.world_synthesize` (the fast half),
redraws the original and new F0 contours (semitones) and refreshes the player.

Taught in ``notebooks/03_prosody.ipynb``.
"""

from __future__ import annotations

import time

import ipywidgets as widgets
import numpy as np

from ..audio import Clip, resample, to_wav_bytes
from ..defaults import ANALYSIS_SR_HZ
from ..errors import ToolkitError
from .common import error_html, figure_png, in_kernel, info_html

__all__ = ["ProsodyExplorer"]

#: Longest stretch the explorer works on (s): resynthesis must stay well under half a second.
MAX_CLIP_S = 8.0


class ProsodyExplorer:
    """Sliders for pitch shift, intonation range, tempo and pause length → resynthesised speech and its F0 contour.

    Parameters
    ----------
    clip : toolkit.audio.Clip
        Speech to manipulate (resampled to 16 kHz, cut to ``MAX_CLIP_S``). Change it
        with :meth:`set_clip`.

    Attributes
    ----------
    widget : ipywidgets.VBox
        What to display.
    result : toolkit.prosody.ProsodyResult or None
        The latest resynthesis.
    n_updates : int
        How many times the view has been redrawn.
    last_update_cpu_s : float
        CPU time of the latest update (s): what it costs on an otherwise idle machine.
    last_update_s : float
        How long the latest update (resynthesis + figure) took (s).
    last_png : bytes
        The latest figure, as shown.

    Examples
    --------
    >>> from toolkit import media
    >>> ex = ProsodyExplorer(media.example("vowel_a_150"))
    >>> ex.pitch_shift.value = 12
    >>> round(float(np.nanmedian(ex.result.f0_hz)))  # one octave above 150.9 Hz
    302
    """

    def __init__(self, clip: Clip):
        self.result = None
        self.n_updates = 0
        self.last_update_s = float("nan")
        self.last_update_cpu_s = float("nan")
        self.last_png = b""
        self._fig = None
        self._lines = None
        style = {"description_width": "150px"}
        self.pitch_shift = widgets.FloatSlider(value=0.0, min=-12.0, max=12.0, step=0.5, description="Pitch (semitones)",
                                               continuous_update=False, style=style, readout_format="+.1f")
        self.range_scale = widgets.FloatSlider(value=1.0, min=0.0, max=3.0, step=0.1, description="Intonation range ×",
                                               continuous_update=False, style=style, readout_format=".1f",
                                               tooltip="0 = monotone, 1 = as spoken, 2 = twice as animated")
        self.tempo = widgets.FloatSlider(value=1.0, min=0.5, max=2.0, step=0.05, description="Tempo ×",
                                         continuous_update=False, style=style, readout_format=".2f")
        self.pause_scale = widgets.FloatSlider(value=1.0, min=0.0, max=4.0, step=0.25, description="Pause length ×",
                                               continuous_update=False, style=style, readout_format=".2f")
        self.reset = widgets.Button(description="Reset", icon="undo", layout=widgets.Layout(width="100px"))
        self.status = widgets.HTML(info_html("…"))
        self.plot_out = widgets.Output(layout=widgets.Layout(width="100%"))
        self.players = [widgets.Audio(format="wav", autoplay=False, controls=True, layout=widgets.Layout(width="260px"))
                        for _ in range(2)]
        cols = [widgets.VBox([widgets.HTML(f"<b>{t}</b>"), p]) for t, p in zip(["Original", "Modified"], self.players)]
        self.widget = widgets.VBox([
            widgets.HBox([widgets.VBox([self.pitch_shift, self.range_scale]), widgets.VBox([self.tempo, self.pause_scale]),
                          self.reset], layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start")),
            self.status, self.plot_out, widgets.HBox(cols, layout=widgets.Layout(flex_flow="row wrap")),
        ])
        self.widget.add_class("vcl-prosody")
        self._update = self.plot_out.capture(clear_output=True, wait=True)(self._redraw) if in_kernel() else self._redraw
        for w in (self.pitch_shift, self.range_scale, self.tempo, self.pause_scale):
            w.observe(self._on_change, "value")
        self.reset.on_click(lambda _: self.set_values())
        self.set_clip(clip)

    def set_clip(self, clip: Clip) -> None:
        """Analyse a new clip (about half a second of WORLD analysis) and redraw."""
        from ..prosody import world_analyze

        y = clip.y if clip.sr == ANALYSIS_SR_HZ else resample(clip.y, sr=clip.sr, target_sr=ANALYSIS_SR_HZ)
        self.clip = Clip(y[: int(MAX_CLIP_S * ANALYSIS_SR_HZ)], ANALYSIS_SR_HZ, name=clip.name, source=clip.source)
        try:
            self.analysis = world_analyze(self.clip.y, sr=self.clip.sr)
        except ToolkitError as exc:
            self.analysis = None
            self.status.value = error_html(str(exc))
            return
        self.players[0].value = to_wav_bytes(self.clip.y, sr=self.clip.sr)
        self._fig = None
        self._on_change()

    def set_values(self, *, pitch_shift_st=0.0, range_scale=1.0, tempo=1.0, pause_scale=1.0) -> None:
        """Set all four controls at once with a single redraw (the Reset button calls this with the defaults)."""
        controls = (self.pitch_shift, self.range_scale, self.tempo, self.pause_scale)
        for w in controls:
            w.unobserve(self._on_change, "value")
        try:
            for w, v in zip(controls, (pitch_shift_st, range_scale, tempo, pause_scale)):
                w.value = v
        finally:
            for w in controls:
                w.observe(self._on_change, "value")
        self._on_change()

    def _on_change(self, change=None):
        t0, c0 = time.perf_counter(), time.process_time()
        self._update()
        self.last_update_s = time.perf_counter() - t0
        self.last_update_cpu_s = time.process_time() - c0
        self.n_updates += 1

    def _figure_png(self, res) -> bytes:
        a = self.analysis
        orig = np.where(a.f0_hz > 0, 12 * np.log2(np.maximum(a.f0_hz, 1e-9) / 100.0), np.nan)
        new = 12 * np.log2(res.f0_hz / 100.0)
        if self._fig is None:
            from matplotlib.figure import Figure

            self._fig = Figure(figsize=(8, 3), dpi=72)
            ax = self._fig.add_subplot()
            (l0,) = ax.plot(a.times_s, orig, color="0.55", lw=2, label="original")
            (l1,) = ax.plot(res.times_s, new, color="C3", lw=1.6, label="modified")
            ax.set_xlabel("time (s)")
            ax.set_ylabel("F0 (semitones re 100 Hz)")
            ax.legend(loc="upper right", fontsize=8)
            self._fig.tight_layout()
            self._lines = (l0, l1)
        l0, l1 = self._lines
        l1.set_data(res.times_s, new)
        ax = l1.axes
        both = np.concatenate([orig[np.isfinite(orig)], new[np.isfinite(new)], [10.0]])
        ax.set_ylim(np.min(both) - 2, np.max(both) + 2)
        ax.set_xlim(0, max(a.times_s[-1], res.times_s[-1]) if len(res.times_s) else 1)
        return figure_png(self._fig)

    def _redraw(self):
        from IPython.display import Image, display

        from ..prosody import world_synthesize

        if self.analysis is None:
            return
        try:
            res = world_synthesize(self.analysis, pitch_shift_st=float(self.pitch_shift.value),
                                   range_scale=float(self.range_scale.value), tempo=float(self.tempo.value),
                                   pause_scale=float(self.pause_scale.value))
        except ToolkitError as exc:
            self.status.value = error_html(str(exc))
            return
        self.result = res
        self.players[1].value = to_wav_bytes(res.y, sr=res.sr)
        f0 = res.f0_hz[np.isfinite(res.f0_hz)]
        med = f"median F0 {np.median(f0):.0f} Hz" if len(f0) else "no voiced frames"
        rng = (f", range {12 * np.log2(np.percentile(f0, 95) / np.percentile(f0, 5)):.1f} st" if len(f0) > 1 else "")
        self.status.value = info_html(f"{self.clip.name}: {self.clip.duration_s:.2f} s → {res.duration_s:.2f} s, {med}{rng}")
        self.last_png = self._figure_png(res)
        if in_kernel():
            display(Image(data=self.last_png, format="png"))
