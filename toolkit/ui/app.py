"""The Voila app, assembled from panels: ``notebooks/app.ipynb`` only calls :func:`build_app`.

Layout (one column that wraps on narrow screens): title and one-paragraph
explanation, consent note, the recorder panel, and what the lab sees in the
reference (its spectrogram).
"""

from __future__ import annotations

import ipywidgets as widgets

from .common import show_figure
from .recorder import RecorderPanel

__all__ = ["build_app", "AppState"]

TITLE = "Voice Cloning Lab"
INTRO = (
    "Record a few seconds of your voice (or pick an example), and see what a text-to-speech model sees: "
    "a spectrogram, the picture of sound that such models learn to predict. The lab runs entirely on this "
    "server, offline; nothing you record leaves it."
)
CONSENT = "Clone only voices you have permission to use: your own, or a speaker who agreed to it."

CSS = """
<style>
.vcl-app { max-width: 980px; margin: 0 auto; padding: 8px 12px; color: #1b2733; font-size: 15px; }
.vcl-app h1 { font-size: 1.8em; margin: 0.2em 0; }
.vcl-app .vcl-consent { background: #fff7e0; color: #5c3c00; border-left: 4px solid #d49b00; padding: 6px 10px; }
.vcl-app .widget-dropdown, .vcl-app .widget-audio { max-width: 100%; }
@media (max-width: 600px) { .vcl-app { font-size: 14px; padding: 4px; } }
</style>
"""


class AppState:
    """What the app holds: the recorder panel and the spectrogram view of its current clip."""

    def __init__(self, *, initial_example=None):
        self.recorder = RecorderPanel(initial_example=None)
        self.spectrogram_out = widgets.Output(layout=widgets.Layout(width="100%"))
        self.spectrogram_out.add_class("vcl-spectrogram")
        self.last_spectrogram = None
        self.recorder.on_clip(self._draw_spectrogram)
        if initial_example:
            self.recorder.picker.value = initial_example

    def _draw_spectrogram(self, clip):
        import matplotlib.pyplot as plt

        from ..analysis import mel_spectrogram_db
        from ..audio import resample
        from ..defaults import ANALYSIS_SR_HZ
        from ..plot import plot_spectrogram

        y = resample(clip.y, sr=clip.sr, target_sr=ANALYSIS_SR_HZ)
        spec = self.last_spectrogram = mel_spectrogram_db(y, sr=ANALYSIS_SR_HZ)
        with self.spectrogram_out:
            self.spectrogram_out.clear_output(wait=True)
            fig, ax = plt.subplots(figsize=(8, 3), layout="constrained")
            plot_spectrogram(spec, ax=ax, colorbar=True)
            ax.set_title(f"Mel spectrogram of {clip.name}: time →, frequency ↑, brighter = louder", fontsize=10)
            show_figure(fig)


def build_app(*, initial_example=None):
    """Build the whole app; returns ``(widget, state)``."""
    state = AppState(initial_example=initial_example)
    page = widgets.VBox([
        widgets.HTML(CSS + f"<h1>{TITLE}</h1><p>{INTRO}</p>"),
        widgets.HTML(f"<div class='vcl-consent'>{CONSENT}</div>"),
        state.recorder.widget,
        widgets.HTML("<b>What the model sees</b>"),
        state.spectrogram_out,
    ])
    page.add_class("vcl-app")
    return page, state
