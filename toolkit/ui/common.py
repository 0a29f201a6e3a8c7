"""Small helpers every panel shares: status messages, figures and audio players in Output widgets."""

from __future__ import annotations

import html

__all__ = ["in_kernel", "error_html", "info_html", "ok_html", "show_figure", "audio_player", "figure_png", "figure_jpeg"]

_STYLE = "padding:4px 8px;border-radius:4px;margin:2px 0;display:inline-block"


def in_kernel() -> bool:
    """True inside a running Jupyter kernel (where ``Output`` widgets can capture displays)."""
    from IPython import get_ipython

    return getattr(get_ipython(), "kernel", None) is not None


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


def figure_png(fig, *, compress_level: int = 1) -> bytes:
    """Render a Matplotlib figure to PNG bytes in one draw (fast: for panels that redraw on every slider move).

    ``fig.savefig`` draws twice and compresses hard; live panels only need one
    draw and light compression.
    """
    import io

    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    buf = io.BytesIO()
    Image.fromarray(np.asarray(canvas.buffer_rgba())).convert("RGB").save(buf, format="png", compress_level=compress_level)
    return buf.getvalue()


def figure_jpeg(fig, *, quality: int = 85) -> bytes:
    """Render a Matplotlib figure to JPEG bytes in one draw: for photo-like figures such as spectrograms.

    A spectrogram's PNG is about four times larger than this JPEG; large display
    messages slow the browser and, with ipykernel 7 and nbclient, can delay the
    end of a cell (see ``toolkit.ui.spectrogram_explorer``).
    """
    import io

    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    buf = io.BytesIO()
    Image.fromarray(np.asarray(canvas.buffer_rgba())).convert("RGB").save(buf, format="jpeg", quality=quality)
    return buf.getvalue()
