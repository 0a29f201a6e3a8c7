"""Text to phonemes with espeak-ng (the library and its data ship in ``espeakng-loader``), natively or with an accent.

Kokoro-82M reads IPA phoneme strings. espeak-ng produces IPA for about a
hundred languages; the symbols Kokoro does not know are dropped with a
warning-free filter, and a few espeak spellings are mapped to Kokoro's.

**Accent** (``phonemize(text, language="en", accent="fr")``): a foreign accent is largely the speaker's
first language showing through: sounds the language lacks are replaced by the nearest ones it has, its
syllable shapes and its stress are carried over (Flege 1995, "Second language speech learning", in
*Speech perception and linguistic experience*; the substitutions per language are the usual ones in
Swan & Smith 2001, *Learner English*, 2nd ed., CUP). Two ways to get there:

``"map"`` (default)
    The text's own pronunciation from espeak-ng, then each sound the accent's language lacks replaced by
    its usual substitute (:data:`ACCENT_RULES`: English /θ/ → /s/ for French, /l/ and /ɹ/ → /ɾ/ for
    Japanese, ...), plus the syllable habits (vowels added after final consonants for Japanese, Mandarin
    and Brazilian Portuguese; /e/ before initial s-clusters for Spanish; final devoicing for German; final
    stress for French).
``"rules"``
    espeak-ng reads the text with the accent language's spelling rules (what a speaker who only knows
    those rules would say; espeak switches back to the text's language for words it recognises).

Only sounds in Kokoro's vocabulary are kept (:func:`toolkit.synth.kokoro.known_phonemes` says which were dropped).
Taught in ``notebooks/05_zero_shot_cloning.ipynb`` and, for accents, ``06_expressive_and_cross_lingual.ipynb``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..defaults import ESPEAK_VOICES, LANGUAGES as LANGUAGE_NAMES
from ..errors import ParameterError

__all__ = ["LANGUAGES", "ACCENT_RULES", "ACCENT_METHODS", "phonemize", "split_sentences", "validate_text",
           "validate_language", "validate_accent"]

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


#: Sound substitutions of each accent: accent language → (sound → replacement), longest sounds first. The
#: sounds are the IPA espeak-ng writes (mostly for English, the usual text); ``"#"`` marks a word end.
ACCENT_RULES = {
    "fr": {"tʃ": "ʃ", "dʒ": "ʒ", "oʊ": "o", "eɪ": "e", "aɪ": "aj", "aʊ": "au", "ɔɪ": "ɔj", "ɜː": "œʁ", "ɚ": "œʁ",
           "θ": "s", "ð": "z", "h": "", "ɹ": "ʁ", "ɪ": "i", "ʊ": "u", "æ": "a", "ʌ": "œ", "ɑ": "a", "ɐ": "a",
           "ᵻ": "i", "ɾ": "t", "ɒ": "ɔ", "ː": ""},
    "es": {"dʒ": "j", "oʊ": "o", "eɪ": "ei", "ɜː": "eɾ", "ɚ": "eɾ", "ð": "d", "ɪ": "i", "ʊ": "u", "æ": "a",
           "ʌ": "a", "ɑ": "a", "ɐ": "a", "ə": "e", "ᵻ": "i", "ɔ": "o", "ɒ": "o", "ɛ": "e", "z": "s", "v": "b",
           "ʃ": "tʃ", "ʒ": "j", "h": "x", "ɹ": "ɾ", "ː": ""},
    "de": {"dʒ": "tʃ", "oʊ": "oː", "eɪ": "eː", "ɔɪ": "ɔø", "ɜː": "øː", "ɚ": "ɐ", "θ": "s", "ð": "z", "w": "v",
           "ɹ": "ʁ", "æ": "ɛ", "ʌ": "a", "ɑː": "aː", "ɑ": "aː", "ɾ": "t", "ɒ": "ɔ", "b#": "p#", "d#": "t#", "ɡ#": "k#",
           "v#": "f#", "z#": "s#"},
    "it": {"oʊ": "o", "eɪ": "ei", "ɜː": "eɾ", "ɚ": "eɾ", "θ": "t", "ð": "d", "h": "", "ɪ": "i", "ʊ": "u",
           "æ": "ɛ", "ʌ": "a", "ɑ": "a", "ɐ": "a", "ə": "e", "ᵻ": "i", "ɒ": "o", "ɹ": "ɾ", "ɾ#": "ɾ#", "ː": ""},
    "pt": {"oʊ": "o", "eɪ": "ei", "ɜː": "eɾ", "ɚ": "eɾ", "θ": "f", "ð": "d", "h": "x", "ɪ": "i", "ʊ": "u",
           "æ": "ɛ", "ʌ": "a", "ɑ": "a", "ɐ": "a", "ə": "a", "ᵻ": "i", "ɒ": "ɔ", "ɹ": "ɾ", "ː": ""},
    "ja": {"tʃ": "tɕ", "dʒ": "dʑ", "oʊ": "oː", "eɪ": "eː", "aɪ": "ai", "aʊ": "au", "ɔɪ": "oi", "ɜː": "aː",
           "ɚ": "aː", "θ": "s", "ð": "z", "v": "b", "f": "ɸ", "l": "ɾ", "ɹ": "ɾ", "ʃ": "ɕ", "ʒ": "dʑ", "æ": "a",
           "ʌ": "a", "ɑ": "a", "ə": "a", "ɐ": "a", "ɪ": "i", "ᵻ": "i", "ʊ": "ɯ", "u": "ɯ", "ɛ": "e", "ɔ": "o",
           "ɒ": "o", "ˌ": ""},
    "zh": {"dʒ": "tʂ", "tʃ": "tʂʰ", "oʊ": "ou", "eɪ": "ei", "ɜː": "ɤ", "θ": "s", "ð": "d", "v": "w", "z": "ʦ",
           "ʒ": "ʂ", "ʃ": "ʂ", "ɹ": "ɻ", "æ": "a", "ʌ": "a", "ɑ": "a", "ɐ": "a", "ɪ": "i", "ᵻ": "i", "ʊ": "u",
           "ɒ": "o", "ɾ": "t", "ː": "", "ˌ": ""},
    "hi": {"oʊ": "oː", "eɪ": "eː", "ɜː": "əɾ", "ɚ": "əɾ", "θ": "tʰ", "ð": "d", "v": "ʋ", "w": "ʋ", "t": "ʈ",
           "d": "ɖ", "ɹ": "ɾ", "æ": "ɛ", "ɒ": "ɑ", "ʌ": "ə", "ɐ": "ə", "ɾ": "ʈ"},
    "en": {"tɕ": "tʃ", "dʑ": "dʒ", "y": "u", "ø": "ɜː", "œ": "ɜː", "ʁ": "ɹ", "ç": "ʃ", "β": "b", "ɣ": "ɡ",
           "ɲ": "nj", "ʎ": "lj", "ɯ": "u", "ɸ": "f", "ɕ": "ʃ", "ʑ": "ʒ", "ʐ": "ʒ", "ʂ": "ʃ", "ɤ": "ʌ", "e": "eɪ",
           "o": "oʊ", "ʋ": "v", "ʈ": "t", "ɖ": "d"},
}
ACCENT_RULES["en-gb"] = ACCENT_RULES["en"]
#: Vowels added after consonants the accent's language does not let end a syllable (the rest stay as they are).
_EPENTHESIS = {"ja": ("ɯ", "o", "nŋɴ"), "zh": ("ə", "ə", "nŋɻ"), "pt": ("i", "i", "nŋɾslmjw")}
#: Ways to make an accent (see the module's docstring).
ACCENT_METHODS = ("map", "rules")
_VOWELS = set("aeiouyæøœɐɑɒɔəɚɛɜɤɨɪɯʊʌᵻ")
_MARKS = set("ˈˌːʰ̃")
_PUNCT = "!\"(),.:;?—“”…"


def validate_accent(accent, *, language: str):
    """``None`` for the native pronunciation (``None``, ``""``, ``"native"`` or the text's own language), else the
    accent's language code; one clear error for anything else.

    Examples
    --------
    >>> validate_accent("native", language="en"), validate_accent("fr", language="en")
    (None, 'fr')
    """
    if accent in (None, "", "native", language):
        return None
    if accent not in LANGUAGE_NAMES:
        raise ParameterError(f"accent {accent!r} is not a language the lab knows; choose 'native' or one of "
                             f"{', '.join(LANGUAGE_NAMES)}")
    return accent


def _map_accent(ph: str, accent: str) -> str:
    rules = ACCENT_RULES.get(accent, {})
    words = []
    for word in ph.split(" "):
        core = word.rstrip(_PUNCT)
        tail = word[len(core):]
        w = core + "#"
        if rules:  # one pass, longest sounds first, so a replacement is not replaced again
            pattern = "|".join(re.escape(a) for a in sorted(rules, key=len, reverse=True))
            w = re.sub(pattern, lambda m: rules[m.group(0)], w)
        if accent in _EPENTHESIS:
            w = _epenthesis(w, *_EPENTHESIS[accent])
        if accent == "es":
            w = re.sub(r"^([ˈˌ]?)s(?=[ptkmnlfw])", r"\1es", w)
        if accent == "fr":  # French puts the stress on a word's last vowel
            bare = w.replace("ˈ", "").replace("ˌ", "")
            if any(ch in _VOWELS for ch in bare):
                i = max(k for k, ch in enumerate(bare) if ch in _VOWELS)
                while i > 0 and bare[i - 1] in _VOWELS:
                    i -= 1
                w = bare[:i] + "ˈ" + bare[i:]
        words.append(w.replace("#", "") + tail)
    return " ".join(words)


def _epenthesis(w: str, vowel: str, after_td: str, allowed_final: str) -> str:
    """Add ``vowel`` after each consonant not followed by a vowel (``after_td`` after t and d), except those
    the language lets end a syllable; punctuation and marks are left in place."""
    out = []
    chars = list(w)
    for k, ch in enumerate(chars):
        out.append(ch)
        if ch in _VOWELS or ch in _MARKS or ch in allowed_final or not ch.isalpha():
            continue
        nxt = next((c for c in chars[k + 1:] if c not in _MARKS), "#")
        if nxt in _VOWELS or nxt in ("ʃ", "ɕ", "ʂ") and ch == "t" or ch == "d" and nxt in ("ʑ", "ʒ"):
            continue
        if ch == "t" and nxt == "s" or ch == "ʦ":
            continue
        # aspiration marks belong after the consonant, so the vowel goes after them
        j = k + 1
        while j < len(chars) and chars[j] == "ʰ":
            j += 1
        if j > k + 1:
            continue  # handled when the mark is appended
        out.append(after_td if ch in "td" else vowel)
    res = "".join(out)
    return re.sub(r"([^aeiouyæøœɐɑɒɔəɚɛɜɤɨɪɯʊʌᵻ])ʰ(?![aeiouyæøœɐɑɒɔəɚɛɜɤɨɪɯʊʌᵻ])", r"\1ʰ" + vowel, res)


@lru_cache(maxsize=None)
def _backend(language: str):
    import espeakng_loader
    from phonemizer.backend import EspeakBackend
    from phonemizer.backend.espeak.wrapper import EspeakWrapper

    EspeakWrapper.set_library(espeakng_loader.get_library_path())
    EspeakWrapper.set_data_path(espeakng_loader.get_data_path())
    return EspeakBackend(LANGUAGES[language], preserve_punctuation=True, with_stress=True,
                         language_switch="remove-flags")


def phonemize(text: str, *, language: str = "en", accent: str | None = None, accent_method: str = "map") -> str:
    """IPA phonemes (with stress marks and punctuation kept) for ``text``, natively or with an accent.

    Parameters
    ----------
    text : str
        What to say.
    language : str
        The text's language, one of :data:`LANGUAGES` (``"en"``, ``"fr"``, ``"ja"``, ...).
    accent : str, optional
        Say it as a speaker of this language would (e.g. the reference's language); ``None`` or
        ``"native"``: the text's own pronunciation.
    accent_method : {"map", "rules"}
        How the accent is made (see the module's docstring).

    Examples
    --------
    >>> phonemize("Hello world.")
    'həlˈoʊ wˈɜːld.'
    >>> phonemize("Hello world.", accent="fr")
    'əlˈo wˈœʁld.'
    >>> phonemize("Hello world.", accent="ja")
    'haɾˈoː wˈaːɾɯdo.'
    """
    validate_language(language)
    accent = validate_accent(accent, language=language)
    if accent_method not in ACCENT_METHODS:
        raise ParameterError(f"accent_method must be one of {', '.join(ACCENT_METHODS)}, got {accent_method!r}")
    text = validate_text(text)
    voice = accent if accent is not None and accent_method == "rules" else language
    ph = _backend(voice).phonemize([text], strip=True, njobs=1)[0]
    for a, b in _REPLACE.items():
        ph = ph.replace(a, b)
    ph = re.sub(r"\s+", " ", ph).strip()
    return _map_accent(ph, accent) if accent is not None and accent_method == "map" else ph


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
