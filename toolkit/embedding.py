"""Speaker embeddings: who is speaking, as a 256-d unit vector (GE2E d-vector).

The encoder is Resemblyzer's (Wan et al. 2018, "Generalized End-to-End Loss
for Speaker Verification"): a 3-layer LSTM over 40-band mel frames, trained so
that clips of one speaker land close together on the unit sphere. Its weights
ship inside the ``resemblyzer`` wheel. Embeddings are L2-normalised, so the
similarity of two voices is their dot product (cosine similarity): about 0.9
for two recordings of one speaker and 0.5-0.7 for different speakers of the
same sex and language.

Taught in ``notebooks/05_zero_shot_cloning.ipynb``.
"""

from __future__ import annotations

import threading
import warnings

import numpy as np

from .audio import resample, rms_dbfs, valid_audio
from .errors import ParameterError

__all__ = ["SpeakerEncoder", "get_encoder", "embed", "embed_windows", "similarity", "project_2d"]

ENCODER_SR = 16000
#: Shortest speech the encoder gives a meaningful embedding for (s).
MIN_SPEECH_S = 1.0
#: Level (RMS, dB re full scale) every clip's speech is brought to before it is embedded.
LEVEL_DBFS = -30.0


class SpeakerEncoder:
    """The loaded GE2E speaker encoder (torch, on the CPU).

    Examples
    --------
    >>> from toolkit import media
    >>> enc = get_encoder()
    >>> clip = media.example("vowel_a_150")
    >>> enc.embed(clip.y, sr=clip.sr).shape
    (256,)
    """

    def __init__(self):
        import torch

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from resemblyzer import VoiceEncoder, preprocess_wav

        from .models import resemblyzer_weights

        # The encoder is a small LSTM: one thread is fastest, and on a busy 2-core machine several threads
        # contend badly (a 2 s clip took 3.9 s with the default and 0.03 s with one thread).
        torch.set_num_threads(1)
        self._encoder = VoiceEncoder(device="cpu", verbose=False, weights_fpath=resemblyzer_weights())
        self._preprocess = preprocess_wav
        self._lock = threading.Lock()

    def prepare(self, y, *, sr) -> np.ndarray:
        """Resample to 16 kHz, cut long silences, and bring the speech to :data:`LEVEL_DBFS`.

        Resemblyzer's own preprocessing only ever *raises* quiet clips to -30 dBFS, and the encoder reads
        mel power without a logarithm, so a loud clip embeds differently from the same clip played softer
        (a LibriSpeech clip peaking at 0.9 and the same clip at 1/20 of that gain: similarity 0.83).
        Scaling every clip's speech to the same level in both directions takes playback gain out of
        "who is speaking": the two copies then score 0.997, and real recordings of one speaker agree
        better (reference vs held-out clips, 8 speakers of ``../shared/speech``: 0.895 → 0.906).
        """
        y = valid_audio(y, sr=sr)
        y16 = resample(y, sr=sr, target_sr=ENCODER_SR)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = self._preprocess(y16.astype(np.float32), source_sr=ENCODER_SR)
        out = out if len(out) >= int(0.5 * ENCODER_SR) else y16
        level_db = rms_dbfs(out)
        if level_db > -120.0:  # digital silence (or next to it) stays as it is
            out = out * np.float32(10.0 ** ((LEVEL_DBFS - level_db) / 20.0))
        return out.astype(np.float32)

    def embed(self, y, *, sr) -> np.ndarray:
        """The 256-d unit-length embedding of a clip.

        Raises
        ------
        ParameterError
            If the clip holds less than :data:`MIN_SPEECH_S` of sound.
        """
        wav = self.prepare(y, sr=sr)
        if len(wav) < MIN_SPEECH_S * ENCODER_SR:
            raise ParameterError(f"only {len(wav) / ENCODER_SR:.2f} s of speech; the speaker encoder needs "
                                 f"at least {MIN_SPEECH_S:.0f} s, record a longer clip")
        with self._lock:
            e = self._encoder.embed_utterance(wav)
        return np.asarray(e, np.float32)

    def embed_windows(self, y, *, sr, window_s: float = 1.6, hop_s: float = 0.8):
        """Embeddings of overlapping windows (for spotting a second voice); returns ``(times_s, E)``.

        ``E`` has shape (n_windows, 256); ``times_s`` are window centres in the original clip
        (silence is not removed here, so times stay aligned).
        """
        y = valid_audio(y, sr=sr)
        y16 = resample(y, sr=sr, target_sr=ENCODER_SR)
        win, hop = int(window_s * ENCODER_SR), int(hop_s * ENCODER_SR)
        if len(y16) < win:
            raise ParameterError(f"clip is {len(y16) / ENCODER_SR:.2f} s; windows need at least {window_s} s")
        starts = np.arange(0, len(y16) - win + 1, hop)
        import torch

        from resemblyzer.audio import wav_to_mel_spectrogram

        mels = np.stack([wav_to_mel_spectrogram(y16[s:s + win]) for s in starts])
        with self._lock, torch.no_grad():
            E = self._encoder(torch.from_numpy(mels).float()).numpy()
        return (starts + win / 2) / ENCODER_SR, E.astype(np.float32)


_ENCODER = None
_ENC_LOCK = threading.Lock()


def get_encoder() -> SpeakerEncoder:
    """The process-wide :class:`SpeakerEncoder` (loaded on first use, well under a second)."""
    global _ENCODER
    with _ENC_LOCK:
        if _ENCODER is None:
            _ENCODER = SpeakerEncoder()
        return _ENCODER


def embed(y, *, sr) -> np.ndarray:
    """Shortcut for ``get_encoder().embed(y, sr=sr)``."""
    return get_encoder().embed(y, sr=sr)


def embed_windows(y, *, sr, window_s: float = 1.6, hop_s: float = 0.8):
    """Shortcut for ``get_encoder().embed_windows(...)``."""
    return get_encoder().embed_windows(y, sr=sr, window_s=window_s, hop_s=hop_s)


def similarity(a, b) -> float:
    """Cosine similarity of two embeddings (1 = same direction).

    Examples
    --------
    >>> similarity([1.0, 0.0], [0.0, 1.0])
    0.0
    """
    a, b = np.asarray(a, np.float64).ravel(), np.asarray(b, np.float64).ravel()
    if a.shape != b.shape:
        raise ParameterError(f"embeddings differ in size: {a.shape} vs {b.shape}")
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    if na == 0 or nb == 0:
        raise ParameterError("an embedding is all zeros; embed a clip with speech in it")
    return float(np.dot(a, b) / (na * nb))


def project_2d(E, *, basis=None):
    """Project embeddings (n, d) to 2-D with PCA for a voice map; returns ``(points, basis)``.

    Pass the ``basis`` returned for one set of voices to place more voices on the same map.
    """
    E = np.asarray(E, np.float64)
    if E.ndim != 2 or len(E) < 1:
        raise ParameterError(f"need an (n, d) array of embeddings, got shape {E.shape}")
    if basis is None:
        if len(E) < 3:
            raise ParameterError("need at least 3 voices to draw a map")
        mean = E.mean(axis=0)
        _, _, vt = np.linalg.svd(E - mean, full_matrices=False)
        basis = (mean, vt[:2])
    mean, comps = basis
    return (E - mean) @ comps.T, basis
