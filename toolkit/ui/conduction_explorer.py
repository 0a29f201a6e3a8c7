"""The conduction explorer: a bone-mix slider and an ears-plugged toggle that redraw the transfer curves and re-filter a clip.

It only wires controls to :mod:`toolkit.conduction`: every change calls
:func:`~toolkit.conduction.transfer_curves` and
:func:`~toolkit.conduction.as_you_hear_yourself`, redraws the curves into an
``Output`` (under ``@out.capture(clear_output=True)``, so errors show up there)
and refreshes three players: the recording, the same voice as its speaker hears
it, and the difference (what the bone path and the head add).

Taught in ``notebooks/02_bone_vs_air.ipynb``.
"""

from __future__ import annotations

import time

import ipywidgets as widgets
import numpy as np

from ..audio import Clip, to_wav_bytes
from ..conduction import DEFAULT_BONE_MIX, MAX_BONE_MIX, as_you_hear_yourself, band_energy_ratio_db, transfer_curves
from ..errors import ToolkitError
from .common import error_html, info_html

__all__ = ["ConductionExplorer", "SelfRatingForm"]


class ConductionExplorer:
    """Bone-mix slider + occlusion toggle → transfer-curve plot, three audio players and a one-line summary.

    Parameters
    ----------
    clip : toolkit.audio.Clip
        The recording to filter (change it later with :meth:`set_clip`, e.g. from a
        ``RecorderPanel.on_clip`` callback).
    bone_mix : float
        Initial slider value.

    Attributes
    ----------
    widget : ipywidgets.VBox
        What to display.
    mine : np.ndarray or None
        The latest "as you hear yourself" waveform.
    n_updates : int
        How many times the view has been redrawn.
    last_update_s : float
        How long the latest redraw took (s).
    last_png : bytes
        The latest figure, as shown.

    Examples
    --------
    >>> from toolkit import media
    >>> ex = ConductionExplorer(media.example("vowel_a_150"))
    >>> ex.bone_mix.value = 2.0
    >>> ex.n_updates
    2
    """

    def __init__(self, clip: Clip, *, bone_mix: float = DEFAULT_BONE_MIX):
        self.clip = clip
        self.mine = None
        self.n_updates = 0
        self.last_update_s = float("nan")
        self.last_png = b""
        self._fig = None
        self._lines = None
        self._animated = []
        self._background = None

        self.bone_mix = widgets.FloatSlider(value=bone_mix, min=0.0, max=MAX_BONE_MIX, step=0.1, description="Bone mix",
                                            continuous_update=False, readout_format=".1f",
                                            tooltip="0 = air only (a recording); 1 = the default model")
        self.occlusion = widgets.ToggleButton(value=False, description="Ears plugged", icon="deaf",
                                              tooltip="Occlusion effect: fingers in your ears while you speak")
        self.status = widgets.HTML(info_html("…"))
        self.plot_out = widgets.Output(layout=widgets.Layout(width="100%"))
        self.players = [widgets.Audio(format="wav", autoplay=False, controls=True, layout=widgets.Layout(width="260px"))
                        for _ in range(3)]
        labels = ["Recording (as others hear you)", "As its speaker hears it", "Difference (what bone + head add)"]
        columns = [widgets.VBox([widgets.HTML(f"<b>{t}</b>"), p], layout=widgets.Layout(margin="0 12px 4px 0"))
                   for t, p in zip(labels, self.players)]
        self.widget = widgets.VBox([
            widgets.HBox([self.bone_mix, self.occlusion], layout=widgets.Layout(flex_flow="row wrap")),
            self.status, self.plot_out,
            widgets.HBox(columns, layout=widgets.Layout(flex_flow="row wrap")),
        ])
        self.widget.add_class("vcl-conduction")

        from IPython import get_ipython

        # In a kernel, draw into the Output (errors show up there too). Outside one (scripts, tests) there is
        # nothing to draw into, and clear_output would only print terminal escape codes.
        in_kernel = getattr(get_ipython(), "kernel", None) is not None
        self._update = self.plot_out.capture(clear_output=True, wait=True)(self._redraw) if in_kernel else self._redraw
        self.bone_mix.observe(self._on_change, "value")
        self.occlusion.observe(self._on_change, "value")
        self._on_change()

    def set_clip(self, clip: Clip) -> None:
        """Filter a new clip (e.g. your recording) with the current settings."""
        self.clip = clip
        self._on_change()

    def _on_change(self, change=None):
        t0 = time.perf_counter()
        self._update()
        self.last_update_s = time.perf_counter() - t0
        self.n_updates += 1

    def _figure_png(self, curves) -> bytes:
        """Redraw the curves → PNG bytes, fast: axes, ticks and legend are drawn once and kept as a
        background; each update restores it and draws only the three lines and the title (blitting)."""
        import io

        from PIL import Image as PILImage  # Pillow ships with Matplotlib

        from ..plot import plot_transfer_curves

        if self._fig is None:
            from matplotlib.backends.backend_agg import FigureCanvasAgg
            from matplotlib.figure import Figure

            fig = Figure(figsize=(7, 3), dpi=90)
            FigureCanvasAgg(fig)
            ax = fig.add_subplot()
            self._lines = plot_transfer_curves(curves, ax=ax)
            ax.set_ylim(-40, 35)  # fixed, so the curves move and the axes do not
            ax.legend(fontsize=8, loc="upper right")
            fig.tight_layout()
            self._animated = [self._lines["air"], self._lines["bone"], self._lines["mixed"], ax.title]
            for artist in self._animated:
                artist.set_animated(True)
            fig.canvas.draw()  # everything but the animated artists
            self._background = fig.canvas.copy_from_bbox(fig.bbox)
            self._fig = fig
        bone_db = np.where(np.isfinite(curves.bone_db), curves.bone_db, np.nan)
        for key, values in (("air", curves.air_db), ("bone", bone_db), ("mixed", curves.mixed_db)):
            self._lines[key].set_data(curves.freqs_hz, values)
        ax = self._lines["air"].axes
        ax.set_title(f"Hearing your own voice: bone mix {curves.bone_mix:.1f}, "
                     f"ears {'plugged' if curves.occlusion else 'open'}", fontsize=10)
        canvas = self._fig.canvas
        canvas.restore_region(self._background)
        for artist in self._animated:
            ax.draw_artist(artist)
        buf = io.BytesIO()
        PILImage.fromarray(np.asarray(canvas.buffer_rgba())).save(buf, format="png", compress_level=1)
        return buf.getvalue()

    def _redraw(self):
        from IPython import get_ipython
        from IPython.display import Image, display

        clip = self.clip
        bone_mix, occlusion = float(self.bone_mix.value), bool(self.occlusion.value)
        try:
            curves = transfer_curves(sr=clip.sr, bone_mix=bone_mix, occlusion=occlusion)
            mine = as_you_hear_yourself(clip.y, sr=clip.sr, bone_mix=bone_mix, occlusion=occlusion)
        except ToolkitError as exc:
            self.status.value = error_html(str(exc))
            return
        self.mine = mine
        diff = mine - clip.y
        peak = float(np.max(np.abs(diff)))
        if peak > 0.99:  # the difference can exceed full scale: scale it down for listening
            diff = diff * (0.99 / peak)
        for player, y in zip(self.players, (clip.y, mine, diff)):
            player.value = to_wav_bytes(y, sr=clip.sr)
        try:
            change_db = band_energy_ratio_db(mine, sr=clip.sr) - band_energy_ratio_db(clip.y, sr=clip.sr)
            ratio = f"; 100-1000 Hz vs 2-6 kHz energy {change_db:+.1f} dB"
        except ToolkitError:  # a clip with no energy in a band (a pure tone): say nothing about the ratio
            ratio = ""
        self.status.value = info_html(f"{clip.name}: bone mix {bone_mix:.1f}, ears {'plugged' if occlusion else 'open'}{ratio}")
        self.last_png = self._figure_png(curves)
        if getattr(get_ipython(), "kernel", None) is not None:  # outside a kernel there is nowhere to show it
            display(Image(data=self.last_png, format="png"))


class SelfRatingForm:
    """The self-rating exercise: how much does each version sound like *you* (1 = not at all, 5 = exactly)?

    Reads the bone mix and ear setting from an explorer, so a rating records which
    setting you judged. Every click on "Save my rating" appends to :attr:`ratings`
    and rewrites the summary line.

    Examples
    --------
    >>> form = SelfRatingForm()
    >>> form.recording.value, form.as_heard.value = 2, 4
    >>> form.save()["preferred"]
    'as you hear yourself'
    """

    def __init__(self, explorer: ConductionExplorer | None = None):
        self.explorer = explorer
        self.ratings: list[dict] = []
        style = {"description_width": "260px"}
        layout = widgets.Layout(width="min(100%, 480px)")
        self.recording = widgets.IntSlider(value=3, min=1, max=5, description="The recording sounds like me:",
                                           style=style, layout=layout)
        self.as_heard = widgets.IntSlider(value=3, min=1, max=5, description="“As I hear myself” sounds like me:",
                                          style=style, layout=layout)
        self.button = widgets.Button(description="Save my rating", icon="check", button_style="success")
        self.summary = widgets.HTML(info_html("Listen to both players above, move the sliders, then save."))
        self.button.on_click(lambda _: self.save())
        self.widget = widgets.VBox([self.recording, self.as_heard, self.button, self.summary])

    def save(self) -> dict:
        """Record the current ratings (with the explorer's setting) and return them."""
        rating = {"recording": int(self.recording.value), "as_heard": int(self.as_heard.value)}
        if self.explorer is not None:
            rating["bone_mix"] = float(self.explorer.bone_mix.value)
            rating["occlusion"] = bool(self.explorer.occlusion.value)
            rating["clip"] = self.explorer.clip.name
        diff = rating["as_heard"] - rating["recording"]
        rating["preferred"] = ("as you hear yourself" if diff > 0 else "the recording" if diff < 0 else "neither")
        self.ratings.append(rating)
        setting = f" at bone mix {rating['bone_mix']:.1f}" if "bone_mix" in rating else ""
        self.summary.value = info_html(
            f"Rating {len(self.ratings)}: recording {rating['recording']}/5, as you hear yourself "
            f"{rating['as_heard']}/5{setting}: more like you: {rating['preferred']}.")
        return rating

