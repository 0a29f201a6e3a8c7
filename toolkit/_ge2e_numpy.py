"""The GE2E speaker encoder run in plain numpy, for fast command-line checks.

:mod:`toolkit.embedding` runs Resemblyzer's encoder through torch, which takes
2-3 s of CPU just to import. ``python -m toolkit check`` must finish in under
3 s, so :func:`toolkit.quality.check_reference` uses this file instead: the same
weights (read from the ``resemblyzer`` wheel's ``pretrained.pt`` without torch),
the same 40-band mel frames (25 ms windows, 10 ms hop, power, Slaney mel
scale, as ``librosa.feature.melspectrogram`` computes them) and the same
3-layer LSTM → linear → ReLU → L2 norm. ``tests/test_quality.py`` checks that
both give the same embeddings.

Private module: use :func:`toolkit.embedding.embed_windows` in your own code.
"""

from __future__ import annotations

import collections
import pickle
import struct
import threading

import numpy as np

from .analysis.spectrum import mel_filterbank
from .defaults import ANALYSIS_SR_HZ

SR = ANALYSIS_SR_HZ
N_FFT = 400
HOP = 160
N_MELS = 40

_DTYPES = {"FloatStorage": np.float32, "DoubleStorage": np.float64, "LongStorage": np.int64, "IntStorage": np.int32}


class _Storage:
    def __init__(self, key, dtype):
        self.key, self.dtype = key, dtype


def _load_legacy_checkpoint(path) -> dict:
    """Read a legacy (pre-zip) torch checkpoint into numpy arrays, without importing torch."""
    storages = {}

    class _Unpickler(pickle.Unpickler):
        def find_class(self, module, name):
            if module == "torch._utils" and name == "_rebuild_tensor_v2":
                return lambda storage, offset, size, stride, *rest: ("tensor", storage, offset, tuple(size), tuple(stride))
            if module == "torch" and name.endswith("Storage"):
                return name
            if module == "collections" and name == "OrderedDict":
                return collections.OrderedDict
            raise pickle.UnpicklingError(f"unexpected object {module}.{name} in the checkpoint")

        def persistent_load(self, pid):
            _, storage_type, key = pid[:3]
            return storages.setdefault(key, _Storage(key, _DTYPES[storage_type]))

    with open(path, "rb") as f:
        for _ in range(3):  # magic number, protocol version, system info
            pickle.load(f)
        obj = _Unpickler(f, encoding="latin1").load()
        data = {}
        for key in pickle.load(f):
            (n,) = struct.unpack("<q", f.read(8))
            st = storages[key]
            data[key] = np.frombuffer(f.read(n * np.dtype(st.dtype).itemsize), dtype=st.dtype)

    def build(o):
        if isinstance(o, tuple) and len(o) == 5 and o[0] == "tensor":
            _, st, offset, size, stride = o
            arr = data[st.key]
            return np.lib.stride_tricks.as_strided(arr[offset:], shape=size,
                                                   strides=[s * arr.itemsize for s in stride]).copy()
        if isinstance(o, dict):
            return {k: build(v) for k, v in o.items()}
        return o

    return build(obj)


def mel_frames(y16: np.ndarray) -> np.ndarray:
    """Power mel spectrogram (n_frames, 40) of 16 kHz audio, centred frames with zero padding."""
    y = np.pad(np.asarray(y16, np.float32), (N_FFT // 2, N_FFT // 2))
    n_frames = 1 + (len(y) - N_FFT) // HOP
    idx = np.arange(N_FFT)[None, :] + HOP * np.arange(n_frames)[:, None]
    win = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)).astype(np.float32)  # periodic Hann
    spec = np.abs(np.fft.rfft(y[idx] * win, axis=1)) ** 2
    return (spec.astype(np.float32) @ _MEL.T).astype(np.float32)


def _sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


class NumpyGE2E:
    """Resemblyzer's GE2E encoder (3-layer LSTM, 256 units) in numpy."""

    def __init__(self):
        from .models import resemblyzer_weights

        state = _load_legacy_checkpoint(resemblyzer_weights())["model_state"]
        self.layers = [(state[f"lstm.weight_ih_l{i}"].T.copy(), state[f"lstm.weight_hh_l{i}"].T.copy(),
                        (state[f"lstm.bias_ih_l{i}"] + state[f"lstm.bias_hh_l{i}"]).astype(np.float32))
                       for i in range(3)]
        self.w_out, self.b_out = state["linear.weight"].T.copy(), state["linear.bias"]

    def __call__(self, mels: np.ndarray) -> np.ndarray:
        """Embeddings (batch, 256) of mel batches (batch, n_frames, 40)."""
        try:  # many tiny matrix products: one BLAS thread is faster than several fighting over 2 cores
            from threadpoolctl import threadpool_limits

            with threadpool_limits(limits=1, user_api="blas"):
                return self._forward(np.asarray(mels, np.float32))
        except ImportError:
            return self._forward(np.asarray(mels, np.float32))

    def _forward(self, x: np.ndarray) -> np.ndarray:
        batch, n_frames, _ = x.shape
        for w_ih, w_hh, b in self.layers:
            hidden = w_hh.shape[0]
            gates_x = x @ w_ih + b  # (batch, frames, 4*hidden), input part for all frames at once
            h = np.zeros((batch, hidden), np.float32)
            c = np.zeros((batch, hidden), np.float32)
            out = np.empty((batch, n_frames, hidden), np.float32)
            for t in range(n_frames):
                g = gates_x[:, t] + h @ w_hh
                i, f, gg, o = (g[:, k * hidden:(k + 1) * hidden] for k in range(4))
                c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(gg)
                h = _sigmoid(o) * np.tanh(c)
                out[:, t] = h
            x = out
        e = np.maximum(h @ self.w_out + self.b_out, 0.0)
        return e / np.maximum(np.linalg.norm(e, axis=1, keepdims=True), 1e-12)

    def embed_windows(self, y16: np.ndarray, *, window_s: float = 1.6, hop_s: float = 0.8):
        """Like :func:`toolkit.embedding.embed_windows` for 16 kHz audio: ``(times_s, E)``."""
        win, hop = int(window_s * SR), int(hop_s * SR)
        starts = np.arange(0, len(y16) - win + 1, hop)
        mels = np.stack([mel_frames(y16[s:s + win]) for s in starts])
        return (starts + win / 2) / SR, self(mels)


_MEL = mel_filterbank(sr=SR, n_fft=N_FFT, n_mels=N_MELS)  # Slaney, area-normalised, as librosa
_MODEL = None
_LOCK = threading.Lock()


def get_numpy_encoder() -> NumpyGE2E:
    """The process-wide numpy encoder (about 0.1 s to load)."""
    global _MODEL
    with _LOCK:
        if _MODEL is None:
            _MODEL = NumpyGE2E()
        return _MODEL
