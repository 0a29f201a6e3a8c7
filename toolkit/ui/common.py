"""Small helpers every panel shares: status messages, figures and audio players in Output widgets."""

from __future__ import annotations

import html

__all__ = ["error_html", "info_html", "ok_html", "show_figure", "audio_player"]

_STYLE = "padding:4px 8px;border-radius:4px;margin:2px 0;display:inline-block"


def info_html(text: str) -> str:
    """A neutral status line (dark text on light grey)."""
    return f"<div class='vcl-info' style='{_STYLE};background:#eef1f5;color:#1b2733'>{html.escape(text)}</div>"


def ok_html(text: str) -> str:
    """A success line (dark green on light green)."""
    return f"<div class='vcl-ok' style='{_STYLE};background:#e3f4e6;color:#14532d'>{html.escape(text)}</div>"


def error_html(text: str) -> str:
    """A friendly error line (dark red on light red): what went wrong and what to do."""
    return (f"<div class='vcl-error' role='alert' style='{_STYLE};background:#fde8e8;color:#7f1d1d'>"
            f"{html.escape(text)}</div>")


def show_figure(fig) -> None:
    """Display a Matplotlib figure inside the current Output and close it (so it is not shown twice)."""
    import matplotlib.pyplot as plt
    from IPython.display import display

    display(fig)
    plt.close(fig)


def audio_player(y, *, sr, label: str = ""):
    """An ``ipywidgets.Audio`` player for a waveform, with an optional label above it."""
    import ipywidgets as widgets

    from ..audio import to_wav_bytes

    player = widgets.Audio(value=to_wav_bytes(y, sr=sr), format="wav", autoplay=False, controls=True,
                           layout=widgets.Layout(width="min(100%, 360px)"))
    if not label:
        return player
    return widgets.VBox([widgets.HTML(f"<b>{html.escape(label)}</b>"), player])
