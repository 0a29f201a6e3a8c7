"""Kokoro's voice space: style vectors, sampling around the shipped voices, and fitted voices.

A Kokoro voice pack is a table of 510 style vectors (one per input length in
phonemes). The cloning engine works with a single 256-d style vector ``s`` taken
at a reference length (:data:`REF_ROW`) and rebuilds a full table from it by
adding how the mean shipped voice changes with length::

    table[L] = s + (M[L] - M[REF_ROW])        M = mean of the shipped voice tables

so a fitted voice keeps Kokoro's length-dependent behaviour. New voices are
sampled around the shipped ones (random blends, including mild extrapolation,
plus Gaussian steps scaled by the voices' per-dimension spread): that is the
synthetic data the learned voice-space encoder (:mod:`toolkit.clone.learned`)
is trained on.

Taught in ``notebooks/05_zero_shot_cloning.ipynb``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import ParameterError, ToolkitError

__all__ = ["REF_ROW", "VoiceSpace", "get_voice_space", "sample_styles", "FittedVoice", "FILE_VERSION"]

#: Row of the voice tables (input length in phonemes) at which style vectors are compared and fitted.
REF_ROW = 80


class VoiceSpace:
    """The shipped voices as points in style space (built from a loaded :class:`~toolkit.synth.kokoro.KokoroTTS`).

    Attributes
    ----------
    names : list of str
        Shipped voice names.
    styles : np.ndarray [shape=(n_voices, 256)]
        Their style vectors at :data:`REF_ROW`.
    spread : np.ndarray [shape=(256,)]
        Per-dimension standard deviation across the shipped voices (the natural step size).
    length_offset : np.ndarray [shape=(510, 256)]
        ``M[L] - M[REF_ROW]`` for the mean table ``M``.
    """

    def __init__(self, voices: dict):
        self.names = sorted(voices)
        tables = np.stack([np.asarray(voices[k], np.float32) for k in self.names])
        self.styles = tables[:, REF_ROW].copy()
        self.spread = self.styles.std(axis=0) + 1e-4
        mean_table = tables.mean(axis=0)
        self.length_offset = (mean_table - mean_table[REF_ROW]).astype(np.float32)

    def table(self, style) -> np.ndarray:
        """Full (510, 256) voice table for one style vector."""
        s = np.asarray(style, np.float32).reshape(-1)
        if s.shape != (self.styles.shape[1],):
            raise ParameterError(f"style must have {self.styles.shape[1]} numbers, got shape {s.shape}")
        return s[None, :] + self.length_offset

    def clamp(self, style, *, margin: float = 3.0) -> np.ndarray:
        """Keep a style vector inside the region Kokoro speaks well: per dimension, within ``margin`` spreads
        of the shipped voices' range (a wild vector makes noise, or minutes of silence)."""
        s = np.nan_to_num(np.asarray(style, np.float32), nan=0.0, posinf=0.0, neginf=0.0)
        lo = self.styles.min(axis=0) - margin * self.spread
        hi = self.styles.max(axis=0) + margin * self.spread
        return np.clip(s, lo, hi).astype(np.float32)

    def blend(self, weights) -> np.ndarray:
        """Style vector of a weighted blend of the shipped voices (weights are normalised to sum to 1)."""
        w = np.asarray(weights, np.float64).reshape(-1)
        if w.shape != (len(self.names),) or not np.isfinite(w).all() or abs(w.sum()) < 1e-9:
            raise ParameterError(f"need {len(self.names)} finite weights with a non-zero sum, got {weights!r}")
        return (w / w.sum()) @ self.styles


_SPACE = None


def get_voice_space() -> VoiceSpace:
    """The :class:`VoiceSpace` of the loaded Kokoro model (loads the model on first use)."""
    global _SPACE
    if _SPACE is None:
        from ..synth.kokoro import get_tts

        _SPACE = VoiceSpace(get_tts().voices)
    return _SPACE


def sample_styles(n: int, *, space: VoiceSpace, rng, max_step: float = 1.2, extrapolate: float = 0.35):
    """Sample ``n`` style vectors around the shipped voices.

    Each sample is a random blend (Dirichlet weights, sometimes pushed past the
    blend's corners by up to ``extrapolate`` so voices beyond the shipped ones are
    reached, e.g. deeper than the one male voice), plus a Gaussian step of
    ``U(0, max_step)`` times the voices' per-dimension spread.

    Returns
    -------
    styles : np.ndarray [shape=(n, 256)]
    weights : np.ndarray [shape=(n, n_voices)]
    """
    if n < 1:
        raise ParameterError(f"n must be at least 1, got {n}")
    k = len(space.names)
    W = rng.dirichlet(np.full(k, 0.6), size=n)
    push = rng.random(n) < 0.5
    for i in np.flatnonzero(push):  # move away from one voice, toward another
        a, b = rng.choice(k, size=2, replace=False)
        t = rng.uniform(0, extrapolate)
        W[i, a] += t
        W[i, b] -= t
    steps = rng.standard_normal((n, space.styles.shape[1])) * space.spread * rng.uniform(0, max_step, (n, 1))
    return (W @ space.styles + steps).astype(np.float32), W.astype(np.float32)


#: Layout version of the fitted-voice file written by :meth:`FittedVoice.save` (1: the shaping as
#: name/value lists, the equaliser as keys ``eq_db_00``..``eq_db_39``; 2: the equaliser as an array and
#: ``match_loudness`` as a bool). :meth:`FittedVoice.load` reads both.
FILE_VERSION = 2


def _shaping_from_v1(shaping: dict):
    """The :class:`~toolkit.clone.shape.ShapingParams` of a version-1 file's flat name → float dict."""
    from .shape import ShapingParams

    eq = [shaping[k] for k in sorted(shaping) if k.startswith("eq_db_")]
    scalars = {k: v for k, v in shaping.items() if k in ShapingParams.__dataclass_fields__
               and k not in ("eq_db", "loudness_lufs", "match_loudness")}
    return ShapingParams(**scalars, eq_db=np.asarray(eq), match_loudness=bool(shaping.get("match_loudness", 0.0)))


def _no_shaping():
    from .shape import ShapingParams

    return ShapingParams()


@dataclass(frozen=True)
class FittedVoice:
    """A voice fitted to one reference: a style vector plus how it was found. Saved as a small ``.npz``.

    Attributes
    ----------
    style : np.ndarray [shape=(256,)]
        Kokoro style vector at :data:`REF_ROW` (use :meth:`VoiceSpace.table` to speak with it).
    speed : float
        Kokoro speed factor that matches the reference's speaking rate.
    method : str
        How it was fitted (``"nearest"``, ``"learned"``, ``"learned+refined"``).
    reference_key : str
        Hash of the reference audio it was fitted to (the cache key).
    scores : dict
        Similarities measured while fitting (name → float).
    shaping : ShapingParams
        Shaping kept for this voice (:class:`~toolkit.clone.shape.ShapingParams`, its ``loudness_lufs``
        unset: the target comes from the reference), applied to everything the voice says.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from toolkit.clone import ShapingParams
    >>> v = FittedVoice(np.zeros(256, np.float32), shaping=ShapingParams(f0_ratio=1.2, match_loudness=True))
    >>> with tempfile.TemporaryDirectory() as d:
    ...     back = FittedVoice.load(v.save(pathlib.Path(d) / "v.npz"))
    >>> back.shaping == v.shaping
    True
    """

    style: np.ndarray = field(repr=False)
    speed: float = 1.0
    method: str = "learned"
    reference_key: str = ""
    scores: dict = field(default_factory=dict)
    shaping: object = field(default_factory=_no_shaping)

    def __post_init__(self):
        from .shape import ShapingParams

        if isinstance(self.shaping, dict):  # the flat form of version 1
            object.__setattr__(self, "shaping", _shaping_from_v1(self.shaping))
        elif not isinstance(self.shaping, ShapingParams):
            raise ParameterError(f"shaping must be a ShapingParams, got {type(self.shaping).__name__}")

    def save(self, path) -> Path:
        """Write the voice to ``path`` (``.npz``, layout :data:`FILE_VERSION`)."""
        p = Path(path)
        if not p.parent.exists():
            raise ToolkitError(f"cannot save voice to {p}: folder {p.parent} does not exist")
        keys = sorted(self.scores)
        sh = self.shaping.to_dict()
        sk = [k for k in sorted(sh) if k not in ("eq_db", "match_loudness", "loudness_lufs")]
        try:
            np.savez(p, file_version=np.int32(FILE_VERSION), style=np.asarray(self.style, np.float32),
                     speed=np.float32(self.speed), method=np.str_(self.method),
                     reference_key=np.str_(self.reference_key),
                     score_names=np.array(keys, dtype=np.str_),
                     score_values=np.array([self.scores[k] for k in keys], np.float64),
                     shaping_names=np.array(sk, dtype=np.str_),
                     shaping_values=np.array([sh[k] for k in sk], np.float64),
                     eq_db=np.asarray(self.shaping.eq_db, np.float64),
                     match_loudness=np.bool_(self.shaping.match_loudness))
        except OSError as exc:
            raise ToolkitError(f"cannot save voice to {p} ({exc}); choose a writable folder") from None
        return p

    @classmethod
    def load(cls, path) -> "FittedVoice":
        """Read a voice written by :meth:`save` (this layout or version 1's)."""
        from .shape import ShapingParams

        p = Path(path)
        if not p.exists():
            raise ToolkitError(f"no fitted voice at {p}; fit one with toolkit.clone.fit_voice")
        try:
            with np.load(p, allow_pickle=False) as z:
                version = int(z["file_version"]) if "file_version" in z.files else 1
                if version > FILE_VERSION:
                    raise ValueError(f"layout version {version} is newer than this toolkit's {FILE_VERSION}")
                style = z["style"].astype(np.float32)
                scores = {str(k): float(v) for k, v in zip(z["score_names"], z["score_values"])}
                flat = {str(k): float(v) for k, v in zip(z["shaping_names"], z["shaping_values"])}
                if version == 1:
                    shaping = _shaping_from_v1(flat)
                else:
                    shaping = ShapingParams(**flat, eq_db=z["eq_db"], match_loudness=bool(z["match_loudness"]))
                return cls(style, float(z["speed"]), str(z["method"]), str(z["reference_key"]), scores, shaping)
        except (KeyError, ValueError, TypeError, OSError, ParameterError) as exc:
            raise ToolkitError(f"{p} is not a fitted voice file ({exc}); fit the voice again") from None
