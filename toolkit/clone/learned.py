"""The learned voice space: from a reference's embedding and profile to a Kokoro style vector.

Two ways back from "how it sounds" to "which style vector", both learned from
voices the project sampled and synthesised itself (``training/make_voice_data.py``):
for each sampled style vector we know both the vector and what its speech sounds
like to the speaker encoder.

* :meth:`VoiceEncoderModel.neighbours`: a *voice bank* lookup, the softmax-weighted blend of the
  training voices whose speech embeds closest to the reference. It only blends voices Kokoro really
  spoke, so it stays natural for real microphone recordings, which lie outside the synthetic data.
* :meth:`VoiceEncoderModel.predict`: a small multilayer perceptron (or ridge regression) trained with
  torch by ``training/train_voice_encoder.py`` on embedding + profile. Better on held-out *synthetic*
  voices, but it extrapolates on real ones; the engine therefore treats it as one candidate among several.

At clone time both are a few matrix products in numpy: instant, and no torch needed.

The weights file (``toolkit/clone/data/voice_encoder.npz``) also holds the GE2E
embeddings of the shipped voices (for the "nearest shipped voice" baseline) and a
record of how it was made.

Taught in ``notebooks/05_zero_shot_cloning.ipynb``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import ModelError, ParameterError

__all__ = ["VoiceEncoderModel", "get_voice_encoder", "WEIGHTS_PATH"]

WEIGHTS_PATH = Path(__file__).with_name("data") / "voice_encoder.npz"


class VoiceEncoderModel:
    """Loaded weights: ``predict(x)`` maps :func:`~toolkit.clone.encode.model_features` vectors to style vectors.

    Attributes
    ----------
    kind : str
        ``"mlp"`` or ``"ridge"``.
    info : dict
        How the model was made (seed, sample count, training time, held-out scores).
    shipped_names : list of str
    shipped_embeddings : np.ndarray [shape=(n_voices, 256)]
    map_embeddings : np.ndarray [shape=(m, 256)] or None
    bank_embeddings, bank_styles : np.ndarray
        The training voices, for :meth:`neighbours`.
    """

    def __init__(self, path=WEIGHTS_PATH):
        path = Path(path)
        if not path.exists():
            raise ModelError(f"{path} is missing; train it with `python training/train_voice_encoder.py`")
        with np.load(path, allow_pickle=False) as z:
            self.kind = str(z["kind"])
            self.x_mean, self.x_std = z["x_mean"], z["x_std"]
            self.y_mean, self.y_std = z["y_mean"], z["y_std"]
            n = int(z["n_layers"])
            self.layers = [(z[f"W{i}"].astype(np.float32), z[f"b{i}"].astype(np.float32)) for i in range(n)]
            self.info = json.loads(str(z["info"]))
            self.shipped_names = [str(s) for s in z["shipped_names"]]
            self.shipped_embeddings = z["shipped_embeddings"].astype(np.float32)
            #: GE2E embeddings of some of the sampled training voices (for the voice map)
            self.map_embeddings = z["map_embeddings"].astype(np.float32) if "map_embeddings" in z.files else None
            #: the training voices (embedding, style): a bank for nearest-neighbour lookup
            self.bank_embeddings = z["bank_embeddings"].astype(np.float32)
            self.bank_styles = z["bank_styles"].astype(np.float32)
        self.n_inputs = self.layers[0][0].shape[0]

    def predict(self, x) -> np.ndarray:
        """Style vector(s) for feature vector(s) ``x`` of shape (n_inputs,) or (n, n_inputs)."""
        x = np.asarray(x, np.float32)
        single = x.ndim == 1
        x = np.atleast_2d(x)
        if x.shape[1] != self.n_inputs:
            raise ParameterError(f"the voice encoder takes {self.n_inputs} features, got {x.shape[1]}")
        h = (x - self.x_mean) / self.x_std
        for i, (W, b) in enumerate(self.layers):
            h = h @ W + b
            if i < len(self.layers) - 1:
                h = h * 0.5 * (1.0 + np.tanh(0.5 * h))  # SiLU, h·sigmoid(h), without overflow
        out = h * self.y_std + self.y_mean
        return out[0] if single else out


    def neighbours(self, embedding, *, k: int = 8, temperature: float = 0.02) -> np.ndarray:
        """Style vector as a softmax-weighted mean of the ``k`` training voices that sound most like ``embedding``.

        Always a blend of voices Kokoro actually spoke well, so it stays natural even when the reference
        (a real microphone recording) lies outside the synthetic training data, where the MLP extrapolates.
        """
        e = np.asarray(embedding, np.float32).reshape(-1)
        sims = self.bank_embeddings @ e
        idx = np.argsort(sims)[::-1][:k]
        w = np.exp((sims[idx] - sims[idx].max()) / temperature)
        return (w / w.sum()) @ self.bank_styles[idx]


@lru_cache(maxsize=2)
def get_voice_encoder(path=WEIGHTS_PATH) -> VoiceEncoderModel:
    """The bundled :class:`VoiceEncoderModel` (loaded once)."""
    return VoiceEncoderModel(path)
