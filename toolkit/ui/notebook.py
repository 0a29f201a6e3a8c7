"""Small helpers every teaching notebook shares: labelled players, the lab's voices, a glossary link.

They live here once so that the six notebooks do not each carry their own copy. Players never normalise
by default: where a lesson is about level (volume carry-over, a soft whisper, a clipped reference) the
learner must hear the real level, and a per-clip normalised player would hide it.

Examples
--------
>>> import numpy as np
>>> html = players_html({"tone": (0.1 * np.ones(1600), 16000)})
>>> html.count("<audio")
1
"""

from __future__ import annotations

import html as _html

import numpy as np

__all__ = ["players", "players_html", "voice", "show_voice_table", "GLOSSARY_URL"]

#: Where the glossary lives, relative to a notebook in ``notebooks/``.
GLOSSARY_URL = "../docs/glossary.md"


def _as_pair(value):
    """``(y, sr)`` from a :class:`~toolkit.audio.Clip` or a ``(y, sr)`` pair."""
    if hasattr(value, "y") and hasattr(value, "sr"):
        return value.y, value.sr
    y, sr = value
    return y, sr


def players_html(clips, *, normalize: bool = False, peak: float = 0.99) -> str:
    """HTML for labelled audio players side by side (they wrap on narrow pages).

    Parameters
    ----------
    clips : dict or list of (label, clip)
        Each clip a :class:`~toolkit.audio.Clip` or a ``(y, sr)`` pair.
    normalize : bool
        ``False`` (default): play at the real level; a clip whose peak exceeds ``peak`` is scaled down to it
        (the player would clip otherwise) and its label says so. ``True``: each player at full scale.
    """
    from IPython.display import Audio

    items = clips.items() if isinstance(clips, dict) else clips
    cells = []
    for label, value in items:
        y, sr = _as_pair(value)
        y = np.asarray(y, dtype=np.float32)
        note = ""
        if not normalize:
            top = float(np.max(np.abs(y))) if y.size else 0.0
            if top > peak:
                y = y * (peak / top)
                note = f" <small>(turned down {20 * np.log10(top / peak):.1f} dB to fit)</small>"
        player = Audio(y, rate=int(sr), normalize=normalize)._repr_html_()
        cells.append(f"<div style='padding:4px 12px 4px 0'><b>{_html.escape(str(label))}</b>{note}<br>{player}</div>")
    return f"<div style='display:flex;flex-wrap:wrap;align-items:flex-end'>{''.join(cells)}</div>"


def players(clips=None, *, normalize: bool = False, **named):
    """Display labelled players: ``players(original=clip, shifted=(y, sr))`` or ``players([(label, clip), ...])``.

    Returns nothing, so a call at the end of a cell does not show the players twice.
    """
    from IPython.display import HTML, display

    items = list(clips.items() if isinstance(clips, dict) else clips or []) + list(named.items())
    display(HTML(players_html(items, normalize=normalize)))


def voice(key: str, *, sr: int | None = 16000, quiet: bool = False):
    """Load a real voice (or any clip) from ``media/`` and print who it is, its licence and its transcript.

    Examples
    --------
    >>> clip = voice("vctk_p260_ref", quiet=True)
    >>> clip.name
    'Scottish English (Orkney), male (VCTK p260, 5 s)'
    """
    from dataclasses import replace

    from ..media import _index, example

    info = _index().get(key)
    clip = example(key, sr=sr)
    if info is not None and info.kind == "recording":
        clip = replace(clip, name=info.label)
        if not quiet:
            print(f"{info.label}. Licence: {info.license.split(' (')[0]}.")
            if info.transcript:
                print(f"Transcript: {info.transcript}")
    return clip


def show_voice_table(infos):
    """Display a small table of real voices (accent, sex, language, length, licence)."""
    from IPython.display import HTML, display

    rows = "".join(
        f"<tr><td><code>{e.key}</code></td><td>{_html.escape(e.accent or e.language)}</td>"
        f"<td>{ {'F': 'female', 'M': 'male'}.get(e.gender, 'not documented') }</td><td>{e.duration_s:.1f} s</td>"
        f"<td>{_html.escape(e.license.split(' (')[0])}</td></tr>" for e in infos)
    display(HTML("<table><tr><th>key</th><th>accent / language</th><th>sex</th><th>length</th><th>licence</th>"
                 f"</tr>{rows}</table>"))
