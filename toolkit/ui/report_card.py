"""The report card: a reference's quality checks as traffic lights, values and tips, over its spectrogram
(where each finding with a time is marked: a bang, a long pause, a clipped stretch, two voices at once).

It only shows what :func:`toolkit.quality.check_reference` measured:
:func:`report_card_html` (a pure function) turns a report into an HTML table,
and :class:`ReportCard` re-runs the checks whenever it gets a new clip.

Taught in ``notebooks/04_reference_audio.ipynb``.
"""

from __future__ import annotations

import html
import time

import ipywidgets as widgets

from ..audio import Clip
from ..errors import ToolkitError
from .common import error_html, figure_png, in_kernel, info_html

__all__ = ["ReportCard", "report_card_html", "spectrogram_png", "side_by_side"]

# text colours reach 4.5:1 contrast (WCAG AA) on their light backgrounds
_COLOURS = {"pass": ("#1d6b34", "#e3f4e6"), "warn": ("#7a5200", "#fff4d6"), "fail": ("#a3161d", "#fde8e8")}
_SYMBOL = {"pass": "●", "warn": "▲", "fail": "■"}  # shape as well as colour, for colour-blind readers


def report_card_html(report, *, title: str = "") -> str:
    """An HTML table of a :class:`~toolkit.quality.QualityReport`: verdict and top tip, then one row per check.

    Examples
    --------
    >>> from toolkit.media import example
    >>> from toolkit.quality import check_reference
    >>> clip = example("vowel_a_150")
    >>> "duration" in report_card_html(check_reference(clip.y, sr=clip.sr, checks=["duration"]))
    True
    """
    fg, bg = _COLOURS[report.verdict]
    head = (f"<div class='vcl-verdict' style='background:{bg};color:{fg};padding:6px 10px;border-radius:4px;"
            f"margin-bottom:4px'><b>{_SYMBOL[report.verdict]} {html.escape(title + ': ' if title else '')}"
            f"{report.verdict.upper()}</b> &nbsp; {html.escape(report.top_tip)}</div>")
    rows = []
    for c in report.checks:
        cfg, cbg = _COLOURS[c.status]
        val = "n/a" if c.value is None else f"{c.value:.3g}&nbsp;{html.escape(c.unit)}"
        where = ""
        if c.events:
            spans = ", ".join(f"{a:.1f}–{b:.1f} s" for a, b in c.events[:6]) + (" …" if len(c.events) > 6 else "")
            where = f"<br><small class='vcl-where'>where (marked on the spectrogram): {spans}</small>"
        rows.append(f"<tr class='vcl-check vcl-{c.status}' data-check='{c.name}' data-events='{len(c.events)}'>"
                    f"<td style='color:{cfg};font-size:1.2em;padding:2px 6px'>{_SYMBOL[c.status]}</td>"
                    f"<td style='padding:2px 6px'><b>{c.name}</b></td>"
                    f"<td style='padding:2px 6px;text-align:right;white-space:nowrap'>{val}</td>"
                    f"<td style='padding:2px 6px;background:{cbg};color:#1b2733'>{html.escape(c.message)}{where}</td></tr>")
    return (head + "<table class='vcl-report' style='border-collapse:collapse;font-size:0.92em'>"
            + "".join(rows) + "</table>")


def spectrogram_png(clip: Clip, report=None) -> bytes:
    """PNG of :func:`toolkit.plot.plot_reference_check` for a clip (one draw, light compression)."""
    from matplotlib.figure import Figure

    from ..plot import plot_reference_check

    fig = Figure(figsize=(8, 2.6), dpi=72)
    ax = fig.add_subplot()
    plot_reference_check(clip.y, sr=clip.sr, report=report, ax=ax)
    fig.tight_layout()
    return figure_png(fig)


class ReportCard:
    """A live report card for one clip at a time.

    Parameters
    ----------
    clip : toolkit.audio.Clip, optional
        Check this clip at once.
    spectrogram : bool
        Draw the spectrogram under the table (about 0.2 s per update).

    Attributes
    ----------
    widget : ipywidgets.VBox
        What to display.
    report : toolkit.quality.QualityReport or None
        The latest report.
    n_updates : int
        How many times the checks ran.
    last_update_s : float
        Wall time of the latest update: checks plus drawing (s).

    Examples
    --------
    >>> from toolkit import media
    >>> card = ReportCard(media.example("vowel_a_150"), spectrogram=False)
    >>> card.report["duration"].status
    'fail'
    """

    def __init__(self, clip: Clip | None = None, *, spectrogram: bool = True, title: str = ""):
        self.report = None
        self.clip = None
        self.n_updates = 0
        self.last_update_s = float("nan")
        self.last_png = b""
        self._spectrogram = spectrogram
        self._title = title
        self.table = widgets.HTML(info_html("No clip yet: record, upload or pick one."))
        self.plot_out = widgets.Output(layout=widgets.Layout(width="100%"))
        self.widget = widgets.VBox([self.table, self.plot_out])
        self.widget.add_class("vcl-report-card")
        self._draw = self.plot_out.capture(clear_output=True, wait=True)(self._show_png) if in_kernel() else self._show_png
        if clip is not None:
            self.set_clip(clip)

    def set_clip(self, clip: Clip):
        """Check a new clip and redraw; returns the report (``None`` when the clip cannot be used)."""
        from ..quality import check_reference

        t0 = time.perf_counter()
        self.clip = clip
        try:
            self.report = check_reference(clip.y, sr=clip.sr)
        except ToolkitError as exc:
            self.report = None
            self.table.value = error_html(f"{clip.name}: {exc}")
            self.last_png = b""
            self._draw()
            return None
        self.table.value = report_card_html(self.report, title=self._title or clip.name)
        self.last_png = spectrogram_png(clip, self.report) if self._spectrogram else b""
        self._draw()
        self.n_updates += 1
        self.last_update_s = time.perf_counter() - t0
        return self.report

    def _show_png(self):
        if not in_kernel() or not self.last_png:
            return
        from IPython.display import Image, display

        display(Image(data=self.last_png, format="png"))


def side_by_side(clips, *, spectrogram: bool = False, return_cards: bool = False):
    """Report cards of several clips next to each other (wrapping on narrow screens), with players.

    Returns the ``HBox``, or ``(HBox, [ReportCard, ...])`` with ``return_cards=True``.
    """
    from .common import audio_player

    boxes, cards = [], []
    for clip in clips:
        card = ReportCard(clip, spectrogram=spectrogram)
        cards.append(card)
        boxes.append(widgets.VBox([audio_player(clip.y, sr=clip.sr, label=clip.name), card.widget],
                                  layout=widgets.Layout(width="min(100%, 560px)", margin="0 12px 12px 0")))
    box = widgets.HBox(boxes, layout=widgets.Layout(flex_flow="row wrap"))
    return (box, cards) if return_cards else box

