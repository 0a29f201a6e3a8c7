"""The clone studio: a reference (recorded, uploaded or picked), a text box, stage toggles → the clone, stage by stage.

It only wires controls to :func:`toolkit.clone.clone`: press *Clone* and the
panel shows a player for each stage (nearest shipped voice, fitted voice,
shaped voice), the similarity meter after each stage, and the shaping steps the
engine kept. The fitted voice is cached per reference, so changing only the
text is fast.

Taught in ``notebooks/05_zero_shot_cloning.ipynb``.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from ..defaults import LANGUAGES
from ..errors import ToolkitError
from .common import audio_player, error_html, info_html, ok_html

__all__ = ["CloneStudio", "similarity_meter_html"]


def similarity_meter_html(label: str, value: float) -> str:
    """A horizontal bar for a similarity in [0, 1] (0.9 ≈ the same speaker recorded twice)."""
    v = max(0.0, min(1.0, float(value)))
    color = "#15803d" if v >= 0.75 else ("#b45309" if v >= 0.6 else "#b91c1c")
    return (f"<div class='vcl-meter' style='margin:2px 0'><span style='display:inline-block;width:170px'>"
            f"{html.escape(label)}</span><span style='display:inline-block;width:220px;background:#e5e7eb;"
            f"height:12px;vertical-align:middle'><span style='display:block;width:{v * 100:.0f}%;height:12px;"
            f"background:{color}'></span></span> <b>{value:.2f}</b></div>")


class CloneStudio:
    """Reference picker/recorder, text box and stage toggles, wired to the cloning engine.

    Parameters
    ----------
    recorder : toolkit.ui.recorder.RecorderPanel or None
        Where the reference comes from (a new one if ``None``).
    text : str
        Initial text.

    Attributes
    ----------
    widget : ipywidgets.VBox
    result : toolkit.clone.CloneResult or None
        The latest clone.
    """

    def __init__(self, recorder=None, *, text: str = "Hello! This is my cloned voice, made on a laptop."):
        if recorder is None:
            from .recorder import RecorderPanel

            recorder = RecorderPanel()
        self.recorder = recorder
        self.result = None
        self.text = widgets.Textarea(value=text, description="Text:", layout=widgets.Layout(width="min(100%, 520px)"))
        self.language = widgets.Dropdown(options=[(name, code) for code, name in LANGUAGES.items()],
                                         value="en", description="Language:")
        self.method = widgets.ToggleButtons(options=[("nearest voice", "nearest"), ("learned", "learned"),
                                                     ("learned + refined", "learned+refined")],
                                            value="learned+refined", description="Stage 2:")
        self.shape = widgets.Checkbox(value=True, description="Stage 3: shape toward the reference")
        self.pace = widgets.Checkbox(value=True, description="match speaking rate")
        self.button = widgets.Button(description="Clone", icon="magic", button_style="primary")
        self.button.on_click(lambda _: self.run())
        self.status = widgets.HTML(info_html("Choose a reference (5-15 s of one speaker), type a text, press Clone."))
        self.out = widgets.Output()
        self.widget = widgets.VBox([self.recorder.widget, self.text, self.language, self.method,
                                    widgets.HBox([self.shape, self.pace]), self.button, self.status, self.out])
        self.widget.add_class("vcl-clone-studio")

    def run(self):
        """Clone the current reference saying the current text; returns the :class:`~toolkit.clone.CloneResult`."""
        from IPython.display import display

        from ..clone import clone

        clip = self.recorder.clip
        self.out.clear_output()
        if clip is None:
            self.status.value = error_html("No reference yet: record, upload or pick one first.")
            return None
        self.status.value = info_html("Cloning… (the first clone of a reference fits its voice: a few seconds)")
        try:
            res = clone(clip.y, sr=clip.sr, text=self.text.value, language=self.language.value,
                        method=self.method.value, shape=self.shape.value, match_pace=self.pace.value)
        except ToolkitError as exc:
            self.status.value = error_html(str(exc))
            return None
        self.result = res
        with self.out:
            meters = "".join(similarity_meter_html(k.replace("_", " "), v) for k, v in res.similarity.items())
            display(widgets.HTML(meters))
            display(widgets.HBox([audio_player(y, sr=res.sr, label=k) for k, y in res.audio.items()]))
            if res.shaping_log:
                rows = "".join(f"<tr><td>{r['step']}</td><td>{r['similarity']:.3f}</td>"
                               f"<td>{'kept' if r['kept'] else 'dropped'}</td></tr>" for r in res.shaping_log)
                display(widgets.HTML(f"<table class='vcl-shaping'><tr><th>step</th><th>similarity</th>"
                                     f"<th></th></tr>{rows}</table>"))
        how = "from the cache" if res.cache_hit else f"fitted in {res.timings_s['fit']:.1f} s"
        self.status.value = ok_html(f"Done: {res.duration_s:.1f} s of speech; voice {how}.")
        return res
