"""Base text-to-speech: phonemes from espeak-ng, speech from Kokoro-82M (ONNX).

See :mod:`toolkit.synth.kokoro` and :mod:`toolkit.synth.phonemes`.
"""

from .phonemes import LANGUAGES, phonemize, split_sentences

__all__ = ["LANGUAGES", "phonemize", "split_sentences", "get_tts", "KokoroTTS"]


def __getattr__(name):  # onnxruntime is imported only when the model is needed
    if name in ("get_tts", "KokoroTTS"):
        from . import kokoro

        return getattr(kokoro, name)
    raise AttributeError(name)
