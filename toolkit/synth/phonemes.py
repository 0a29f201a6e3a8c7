"""Text to phonemes with espeak-ng (the library and its data ship in ``espeakng-loader``).

Kokoro-82M reads IPA phoneme strings. espeak-ng produces IPA for about a
hundred languages; the symbols Kokoro does not know are dropped with a
warning-free filter, and a few espeak spellings are mapped to Kokoro's.
Taught in ``notebooks/05_zero_shot_cloning.ipynb``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..defaults import ESPEAK_VOICES, LANGUAGES as LANGUAGE_NAMES
from ..errors import ParameterError

__all__ = ["LANGUAGES", "phonemize", "split_sentences", "validate_text", "validate_language"]

#: Languages the lab offers: code → espeak-ng voice name (:data:`toolkit.defaults.ESPEAK_VOICES`).
LANGUAGES = ESPEAK_VOICES

# espeak-ng spellings that Kokoro's vocabulary writes differently (Kokoro's misaki uses these).
_REPLACE = {"ʲ": "j", "r": "ɹ", "x": "k", "ɬ": "l", "\u0303": ""}


def validate_text(text, *, max_chars: int | None = None, what: str = "the text") -> str:
    """The text for the clone to say, stripped; one clear error if it is empty or too long.

    Parameters
    ----------
    text : str
    max_chars : int, optional
        Refuse longer text (the app clones up to :data:`toolkit.defaults.MAX_TEXT_CHARS` at a time).
    what : str
        How the message names the text (``"--text"`` on the command line, ``"the text box"`` in the app).

    Raises
    ------
    toolkit.errors.ParameterError

    Examples
    --------
    >>> validate_text("  Hello there.  ")
    'Hello there.'
    >>> validate_text("   ")
    Traceback (most recent call last):
    ...
    toolkit.errors.ParameterError: the text is empty; type a sentence for the clone to say
    """
    if not isinstance(text, str) or not text.strip():
        raise ParameterError(f"{what} is empty; type a sentence for the clone to say")
    text = text.strip()
    if max_chars is not None and len(text) > max_chars:
        raise ParameterError(f"{what} is {len(text)} characters long; the clone says up to {max_chars} at a "
                             "time, shorten it and clone again")
    return text


def validate_language(language) -> str:
    """``language`` if the clone can speak it (a key of :data:`toolkit.defaults.LANGUAGES`), else one clear error.

    Examples
    --------
    >>> validate_language("fr")
    'fr'
    """
    if language not in LANGUAGE_NAMES:
        raise ParameterError(f"language {language!r} is not supported; choose one of {', '.join(LANGUAGE_NAMES)}")
    return language


@lru_cache(maxsize=None)
def _backend(language: str):
    import espeakng_loader
    from phonemizer.backend import EspeakBackend
    from phonemizer.backend.espeak.wrapper import EspeakWrapper

    EspeakWrapper.set_library(espeakng_loader.get_library_path())
    EspeakWrapper.set_data_path(espeakng_loader.get_data_path())
    return EspeakBackend(LANGUAGES[language], preserve_punctuation=True, with_stress=True,
                         language_switch="remove-flags")


def phonemize(text: str, *, language: str = "en") -> str:
    """IPA phonemes (with stress marks and punctuation kept) for ``text``.

    Parameters
    ----------
    text : str
        What to say.
    language : str
        One of :data:`LANGUAGES` (``"en"``, ``"fr"``, ``"ja"``, ...).

    Examples
    --------
    >>> phonemize("Hello world.")
    'həlˈoʊ wˈɜːld.'
    """
    validate_language(language)
    ph = _backend(language).phonemize([validate_text(text)], strip=True, njobs=1)[0]
    for a, b in _REPLACE.items():
        ph = ph.replace(a, b)
    return re.sub(r"\s+", " ", ph).strip()


def split_sentences(text: str, *, max_chars: int = 300) -> list[str]:
    """Split text at sentence ends (and, for very long sentences, at commas) so each piece fits the model.

    Examples
    --------
    >>> split_sentences("One. Two! Three?")
    ['One.', 'Two!', 'Three?']
    """
    pieces = [s.strip() for s in re.split(r"(?<=[.!?。！？])\s+|\n+", text) if s.strip()]
    out = []
    for p in pieces:
        while len(p) > max_chars:
            cut = p.rfind(",", 0, max_chars)
            cut = cut if cut > 0 else p.rfind(" ", 0, max_chars)
            cut = cut if cut > 0 else max_chars
            out.append(p[: cut + 1].strip())
            p = p[cut + 1:].strip()
        if p:
            out.append(p)
    return out
