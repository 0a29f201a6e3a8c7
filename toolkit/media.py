"""The lab's own example clips: an index of short keys to files in ``media/``.

``media/make_media.py`` makes the synthetic signals and the synthesised speech,
and copies a curated, credited set of real recordings (``kind="recording"``:
English speakers of both sexes and several accents, Japanese and Mandarin
speakers, one German speaker in eight emotions, music and a bird call).
``media/index.csv`` records each clip's key, description, provenance and, for
recordings, speaker, sex, language, accent, transcript, emotion and licence.
``example("key")`` returns a :class:`~toolkit.audio.Clip`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ._resources import media_dir
from .errors import ParameterError

__all__ = ["MEDIA_DIR", "ExampleInfo", "list_examples", "voices", "picker_options", "example_path", "example"]

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
    speaker: str = ""
    gender: str = ""  #: "F", "M" or "" (not documented)
    language: str = ""  #: ISO 639-1 code ("en", "de", "ja", "zh")
    accent: str = ""
    transcript: str = ""
    emotion: str = ""
    license: str = ""
    duration_s: float = 0.0

    @property
    def label(self) -> str:
        """A name for menus: accent and sex for a real voice ("Scottish English (Orkney), male"), else the
        description."""
        if self.kind != "recording" or not self.speaker:
            return self.description
        sex = {"F": "female", "M": "male"}.get(self.gender, "")
        name = ", ".join(p for p in (self.accent or self.language, sex, self.emotion) if p)
        corpus, _, ident = self.speaker.partition("_")
        corpus = {"vctk": "VCTK", "librispeech": "LibriSpeech", "fleurs": "FLEURS", "aishell1": "AISHELL-1",
                  "thorsten": "Thorsten-Voice"}.get(corpus, corpus)
        return f"{name} ({corpus} {ident}".rstrip() + f", {self.duration_s:.0f} s)"


@lru_cache(maxsize=1)
def _index() -> dict:
    path = MEDIA_DIR / "index.csv"
    if not path.exists():
        return {}
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    text = ("speaker", "gender", "language", "accent", "transcript", "emotion", "license")
    return {r["key"]: ExampleInfo(r["key"], r["file"], r["description"], r["provenance"], r.get("kind") or "example",
                                  **{k: r.get(k) or "" for k in text}, duration_s=float(r.get("duration_s") or 0))
            for r in rows}


def list_examples(kind: str | None = None) -> list[ExampleInfo]:
    """All example clips, optionally only those of one ``kind``.

    Kinds: ``"recording"`` (real recordings of people, music and a bird call, copied with their credits),
    ``"speech"`` (speech the lab synthesised for the reference clinic) and ``"synthetic"`` (test signals).

    Examples
    --------
    >>> any(e.key == "tone_a3" for e in list_examples())
    True
    >>> rec = list_examples(kind="recording")
    >>> {"F", "M"} <= {e.gender for e in rec if e.language == "en"}
    True
    """
    return [e for e in _index().values() if kind is None or e.kind == kind]


def voices(*, language: str | None = None, gender: str | None = None, emotion: str | None = "") -> list[ExampleInfo]:
    """Real recorded voices (``kind="recording"`` with a speaker), filtered.

    ``emotion=""`` (the default) leaves out the acted emotions; ``emotion=None`` keeps everything.

    Examples
    --------
    >>> [e.key for e in voices(language="en", gender="M")][:1]
    ['vctk_p260_ref']
    >>> len(voices(emotion=None, language="de"))
    8
    """
    return [e for e in list_examples("recording") if e.speaker
            and (language is None or e.language == language) and (gender is None or e.gender == gender)
            and (emotion is None or e.emotion == emotion)]


def picker_options(*, synthetic_kind: str | None = "speech") -> list[tuple[str, str]]:
    """``(label, key)`` pairs for an example menu: one reference per real voice first (English, then other
    languages), then the lab's synthesised clips of ``synthetic_kind`` (``None`` for none).

    Examples
    --------
    >>> picker_options()[1]
    ('Scottish English (Orkney), male (VCTK p260, 5 s)', 'vctk_p260_ref')
    """
    real = sorted((e for e in voices() if "reference" in e.description), key=lambda e: e.language != "en")
    made = list_examples(synthetic_kind) if synthetic_kind else []
    return [(e.label, e.key) for e in real] + [(f"Synthetic: {e.description}", e.key) for e in made]


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
