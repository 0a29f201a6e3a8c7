"""Speaker embeddings: who is speaking, as a 256-d unit vector (GE2E d-vector).

The encoder is Resemblyzer's (Wan et al. 2018, "Generalized End-to-End Loss
for Speaker Verification"): a 3-layer LSTM over 40-band mel frames, trained so
that clips of one speaker land close together on the unit sphere. Its weights
ship inside the ``resemblyzer`` wheel; the lab runs them in numpy
(:class:`SpeakerEncoder`), Resemblyzer runs them in torch
(:class:`TorchSpeakerEncoder`), and the two agree to 1e-4. Embeddings are L2-normalised, so the
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
from .defaults import ANALYSIS_SR_HZ, ENCODER_MIN_SPEECH_S
from .errors import ParameterError

__all__ = ["SpeakerEncoder", "TorchSpeakerEncoder", "get_encoder", "embed", "embed_windows", "similarity", "project_2d"]

ENCODER_SR = ANALYSIS_SR_HZ  # GE2E was trained on 16 kHz speech
HOP = 160  # mel frame hop (samples at 16 kHz: 10 ms)
#: Shortest speech the encoder gives a meaningful embedding for (s).
MIN_SPEECH_S = ENCODER_MIN_SPEECH_S
#: Level (RMS, dB re full scale) every clip's speech is brought to before it is embedded.
LEVEL_DBFS = -30.0


#: Resemblyzer's preprocessing and partial-utterance settings (``resemblyzer/hparams.py``, ``embed_utterance``).
_VAD_WINDOW_S, _VAD_AVERAGE_WIDTH, _VAD_MAX_SILENCE = 0.030, 8, 6
_PARTIAL_FRAMES, _PARTIAL_RATE_HZ, _MIN_COVERAGE = 160, 1.3, 0.75
_INT16_MAX = 2**15 - 1


def _raise_quiet(y16: np.ndarray) -> np.ndarray:
    """Resemblyzer's ``normalize_volume(..., -30 dBFS, increase_only=True)``: quiet clips up to -30 dBFS."""
    rms = np.sqrt(np.mean((y16.astype(np.float64) * _INT16_MAX) ** 2))
    change_db = LEVEL_DBFS - 20 * np.log10(max(rms, 1e-30) / _INT16_MAX)
    return y16 if change_db < 0 else (y16 * 10 ** (change_db / 20)).astype(np.float32)


def _trim_long_silences(y16: np.ndarray) -> np.ndarray:
    """Resemblyzer's ``trim_long_silences``: WebRTC VAD (mode 3, 30 ms), smoothed, dilated; silences cut."""
    with warnings.catch_warnings():  # webrtcvad 2.0.10 imports pkg_resources, which warns
        warnings.simplefilter("ignore")
        import webrtcvad

    win = int(_VAD_WINDOW_S * ENCODER_SR)
    y16 = y16[:len(y16) - len(y16) % win]
    pcm = np.round(y16 * _INT16_MAX).astype(np.int16).tobytes()  # wraps like struct.pack of int16 in Resemblyzer
    vad = webrtcvad.Vad(mode=3)
    flags = np.array([vad.is_speech(pcm[2 * i:2 * (i + win)], sample_rate=ENCODER_SR)
                      for i in range(0, len(y16), win)], np.float64)
    width = _VAD_AVERAGE_WIDTH
    padded = np.concatenate((np.zeros((width - 1) // 2), flags, np.zeros(width // 2)))
    ret = np.cumsum(padded)
    ret[width:] = ret[width:] - ret[:-width]
    mask = np.round(ret[width - 1:] / width).astype(bool)
    mask = np.convolve(mask, np.ones(_VAD_MAX_SILENCE + 1), mode="same") > 0  # binary dilation, 7 windows
    return y16[np.repeat(mask, win)]


def _partial_slices(n_samples: int) -> list:
    """Frame ranges of the 1.6 s partial utterances Resemblyzer averages (``compute_partial_slices``)."""
    hop = HOP
    n_frames = int(np.ceil((n_samples + 1) / hop))
    step = int(np.round((ENCODER_SR / _PARTIAL_RATE_HZ) / hop))
    starts = list(range(0, max(1, n_frames - _PARTIAL_FRAMES + step + 1), step))
    coverage = (n_samples - starts[-1] * hop) / (_PARTIAL_FRAMES * hop)
    if coverage < _MIN_COVERAGE and len(starts) > 1:
        starts = starts[:-1]
    return [(s, s + _PARTIAL_FRAMES) for s in starts]


class SpeakerEncoder:
    """The loaded GE2E speaker encoder: the lab's one run-time encoder, in numpy.

    Resemblyzer's weights and steps (voice-activity trimming, 1.6 s partial utterances at 1.3 per second,
    their mean, L2 norm), run by :mod:`toolkit._ge2e_numpy` without torch: loading it costs a few MB instead of
    torch's 300 (so a workshop server fits more kernels), and it agrees with Resemblyzer's torch model to
    1e-4 (``tests/test_embedding.py``). :class:`TorchSpeakerEncoder` is the torch original, for teaching.

    Examples
    --------
    >>> from toolkit import media
    >>> enc = get_encoder()
    >>> clip = media.example("vowel_a_150")
    >>> enc.embed(clip.y, sr=clip.sr).shape
    (256,)
    """

    def __init__(self):
        from ._ge2e_numpy import get_numpy_encoder

        self._net = get_numpy_encoder()
        self._lock = threading.Lock()

    def _forward(self, mels: np.ndarray) -> np.ndarray:
        """Embeddings (batch, 256) of mel batches (batch, frames, 40)."""
        return self._net(mels)

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
        y16 = resample(y, sr=sr, target_sr=ENCODER_SR).astype(np.float32)
        out = _trim_long_silences(_raise_quiet(y16))
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
        from ._ge2e_numpy import mel_frames

        wav = self.prepare(y, sr=sr)
        if len(wav) < MIN_SPEECH_S * ENCODER_SR:
            raise ParameterError(f"only {len(wav) / ENCODER_SR:.2f} s of speech; the speaker encoder needs "
                                 f"at least {MIN_SPEECH_S:.0f} s, record a longer clip")
        slices = _partial_slices(len(wav))
        wav = np.pad(wav, (0, max(0, slices[-1][1] * HOP - len(wav))))
        mel = mel_frames(wav)
        with self._lock:
            partial = self._forward(np.stack([mel[a:b] for a, b in slices]))
        e = partial.mean(axis=0)
        return (e / np.linalg.norm(e)).astype(np.float32)

    def embed_windows(self, y, *, sr, window_s: float = 1.6, hop_s: float = 0.8):
        """Embeddings of overlapping windows (for spotting a second voice); returns ``(times_s, E)``.

        ``E`` has shape (n_windows, 256); ``times_s`` are window centres in the original clip
        (silence is not removed here, so times stay aligned).
        """
        from ._ge2e_numpy import mel_frames

        y = valid_audio(y, sr=sr)
        y16 = resample(y, sr=sr, target_sr=ENCODER_SR)
        win, hop = int(window_s * ENCODER_SR), int(hop_s * ENCODER_SR)
        if len(y16) < win:
            raise ParameterError(f"clip is {len(y16) / ENCODER_SR:.2f} s; windows need at least {window_s} s")
        starts = np.arange(0, len(y16) - win + 1, hop)
        mels = np.stack([mel_frames(y16[s:s + win]) for s in starts])
        with self._lock:
            E = self._forward(mels)
        return (starts + win / 2) / ENCODER_SR, E.astype(np.float32)


class TorchSpeakerEncoder(SpeakerEncoder):
    """The same encoder run by Resemblyzer's torch model (``VoiceEncoder``): for teaching and for checking.

    Imports torch (about 300 MB more per process), so the lab's run-time code uses :class:`SpeakerEncoder`.
    """

    def __init__(self):
        super().__init__()
        import torch

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from resemblyzer import VoiceEncoder

        from .models import resemblyzer_weights

        # a small LSTM: one thread is fastest, several contend badly on a busy 2-core machine
        torch.set_num_threads(1)
        self._torch = torch
        self._model = VoiceEncoder(device="cpu", verbose=False, weights_fpath=resemblyzer_weights())

    def _forward(self, mels: np.ndarray) -> np.ndarray:
        with self._torch.no_grad():
            return self._model(self._torch.from_numpy(np.ascontiguousarray(mels, np.float32))).numpy()


_ENCODER = None
_ENC_LOCK = threading.Lock()


def get_encoder() -> SpeakerEncoder:
    """The process-wide :class:`SpeakerEncoder` (numpy; loaded on first use in about 0.1 s)."""
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
