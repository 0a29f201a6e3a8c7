"""The lab's own example clips: an index of short keys to files in ``media/``.

Every clip is made by ``media/make_media.py`` (synthetic signals and speech
synthesised offline), and ``media/index.csv`` records each one's key,
description and provenance. ``example("key")`` returns a :class:`~toolkit.audio.Clip`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ._resources import media_dir
from .errors import ParameterError

__all__ = ["MEDIA_DIR", "ExampleInfo", "list_examples", "example_path", "example"]

#: Folder holding the generated example clips and their index (the checkout's ``media/``, or the installed copy).
MEDIA_DIR = media_dir()


@dataclass(frozen=True)
class ExampleInfo:
    """One row of ``media/index.csv``."""

    key: str
    file: str
    description: str
    provenance: str
    kind: str = "example"


@lru_cache(maxsize=1)
def _index() -> dict:
    path = MEDIA_DIR / "index.csv"
    if not path.exists():
        return {}
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {r["key"]: ExampleInfo(r["key"], r["file"], r["description"], r["provenance"], r.get("kind") or "example") for r in rows}


def list_examples(kind: str | None = None) -> list[ExampleInfo]:
    """All example clips, optionally only those of one ``kind`` (e.g. ``"speech"``, ``"synthetic"``).

    Examples
    --------
    >>> any(e.key == "tone_a3" for e in list_examples())
    True
    """
    return [e for e in _index().values() if kind is None or e.kind == kind]


def example_path(key: str) -> Path:
    """Path of the example clip ``key``.

    Raises
    ------
    ParameterError
        If no example has that key (the message lists the keys there are).
    """
    index = _index()
    if key not in index:
        known = ", ".join(sorted(index)) or "none (run `python media/make_media.py`)"
        raise ParameterError(f"no example clip called {key!r}; known keys: {known}")
    return MEDIA_DIR / index[key].file


def example(key: str, *, sr=None):
    """Load the example clip ``key`` as a :class:`~toolkit.audio.Clip`.

    Examples
    --------
    >>> clip = example("tone_a3")
    >>> round(clip.duration_s, 1)
    2.0
    """
    from .audio import Clip

    return Clip.from_file(example_path(key), sr=sr, name=key, source="example")
