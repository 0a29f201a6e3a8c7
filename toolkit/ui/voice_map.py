"""The app's voice map: where the reference and its clone land among Kokoro's voices.

The map is fixed once per process: a 2-D PCA (:func:`toolkit.embedding.project_2d`)
of the GE2E embeddings of a few hundred sampled Kokoro voices, stored with the
learned voice-space model, so nothing is synthesised to draw it. The five shipped
voices, the reference and the clone are placed on the same axes by
:func:`toolkit.plot.plot_voice_map`.

Taught in ``notebooks/05_zero_shot_cloning.ipynb`` (section "The voice map").
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

__all__ = ["voice_map_basis", "voice_map_png"]


@lru_cache(maxsize=1)
def voice_map_basis():
    """``(background points (n, 2), basis, shipped points (5, 2), shipped names)`` of the fixed map (cached)."""
    from ..clone.learned import get_voice_encoder
    from ..embedding import project_2d

    model = get_voice_encoder()
    E = model.map_embeddings if model.map_embeddings is not None else model.bank_embeddings[:300]
    bg, basis = project_2d(E)
    shipped, _ = project_2d(model.shipped_embeddings, basis=basis)
    return bg, basis, shipped, list(model.shipped_names)


def voice_map_png(voices: dict, *, title: str = "Voice map: nearby dots sound alike") -> bytes:
    """PNG of the voice map with ``voices`` highlighted.

    Parameters
    ----------
    voices : dict
        Label → GE2E embedding (256,) or embeddings (n, 256), drawn in order: the first as a star,
        the next as diamonds, triangles, ...

    Returns
    -------
    bytes
        A PNG image (about 500 × 400 pixels).

    Examples
    --------
    >>> from toolkit.clone.learned import get_voice_encoder
    >>> png = voice_map_png({"a voice": get_voice_encoder().shipped_embeddings[0]})
    >>> png[:4] == b"\\x89PNG"
    True
    """
    from matplotlib.figure import Figure

    from ..embedding import project_2d
    from ..plot import plot_voice_map
    from .common import figure_png

    bg, basis, shipped, names = voice_map_basis()
    groups = {"shipped Kokoro voices": (shipped, "s", "#1f77b4")}
    styles = [("*", "#d62728"), ("D", "#2ca02c"), ("^", "#9467bd"), ("v", "#8c564b")]
    for (label, E), (marker, colour) in zip(voices.items(), styles):
        pts, _ = project_2d(np.atleast_2d(np.asarray(E, np.float64)), basis=basis)
        groups[label] = (pts, marker, colour)
    fig = Figure(figsize=(5.6, 4.2), dpi=80)
    ax = fig.add_subplot()
    plot_voice_map(bg, voices=groups, ax=ax, title=title)
    for (x, y), name in zip(shipped, names):
        ax.annotate(name, (x, y), textcoords="offset points", xytext=(4, 4), fontsize=7, color="#1f3b57")
    ax.set_xticks([])
    ax.set_yticks([])
    fig.tight_layout()
    return figure_png(fig)
