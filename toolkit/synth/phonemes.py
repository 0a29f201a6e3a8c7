"""Text to phonemes with espeak-ng (the library and its data ship in ``espeakng-loader``).

Kokoro-82M reads IPA phoneme strings. espeak-ng produces IPA for about a
hundred languages; the symbols Kokoro does not know are dropped with a
warning-free filter, and a few espeak spellings are mapped to Kokoro's.
Taught in ``notebooks/05_zero_shot_cloning.ipynb``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..errors import ParameterError

__all__ = ["LANGUAGES", "phonemize", "split_sentences"]

#: Languages the lab offers, as espeak-ng voice names.
LANGUAGES = {
    "en": "en-us", "en-gb": "en-gb", "es": "es", "fr": "fr-fr", "de": "de", "it": "it",
    "pt": "pt-br", "hi": "hi", "ja": "ja", "zh": "cmn",
}

# espeak-ng spellings that Kokoro's vocabulary writes differently (Kokoro's misaki uses these).
_REPLACE = {"ʲ": "j", "r": "ɹ", "x": "k", "ɬ": "l", "\u0303": ""}


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
    if language not in LANGUAGES:
        raise ParameterError(f"language {language!r} is not supported; choose one of {', '.join(LANGUAGES)}")
    if not isinstance(text, str) or not text.strip():
        raise ParameterError("text is empty; type something to say")
    ph = _backend(language).phonemize([text.strip()], strip=True, njobs=1)[0]
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
