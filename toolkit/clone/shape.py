"""Stage 3 of cloning, *shape*: move explicit features of the generated speech toward the reference.

The generated speech is taken apart with the WORLD vocoder (Morise et al. 2016:
F0 by DIO + StoneMask, spectral envelope by CheapTrick, aperiodicity by D4C),
changed, and put back together:

* **F0 level and range**: log-F0 is shifted to the reference's median and its spread scaled to the
  reference's range (semitones), ``log f0' = log m_ref + (log f0 − log m_gen) · r_ref / r_gen``.
  The shift toward the reference's median is the reference's *pitch carried over* (:func:`pitch_carry_ratio`):
  :func:`choose_shaping` always applies it, closing :data:`~toolkit.defaults.PITCH_CARRY_SHARE` of the gap
  (half: the fitted voice's own pitch is evidence about the speaker too) within
  :data:`~toolkit.defaults.PITCH_CARRY_MAX_ST`, so a higher reference gives a higher clone; the range
  scaling is kept only when it helps.
* **Formant warp**: the envelope is stretched along frequency by ``α`` (the mean ratio of the
  reference's F1-F3 to the clone's), a stand-in for a longer or shorter vocal tract.
* **Spectral tilt**: a fixed filter tilts the spectrum by the difference in long-term slope (dB/octave).
* **Breathiness**: aperiodicity is raised or lowered with the difference in harmonics-to-noise ratio.
* **Spectral envelope**: a smooth, fixed equaliser (40 mel bands, smoothed to its first 12 cepstral
  terms, ±12 dB) makes the clone's long-term average spectrum match the reference's: the average
  timbre, and also the reference's microphone and room colouring.
* **Loudness**: a gain brings the output to the reference's integrated loudness (LUFS).

Pace is set earlier, through Kokoro's speed factor (:mod:`toolkit.clone.generate`), which keeps the
speech cleaner than time-stretching afterwards. WORLD resynthesis costs some naturalness, so
:func:`choose_shaping` keeps a step only when the speaker encoder says it helps, except for what the
reference's delivery asks for: its pitch (above) and its level (the loudness gain).

Taught in ``notebooks/05_zero_shot_cloning.ipynb``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

import numpy as np

from ..audio import valid_audio
from ..defaults import ANALYSIS_SR_HZ, HOP_LENGTH, N_FFT, WIN_LENGTH
from ..errors import ParameterError

__all__ = ["ShapingParams", "STEPS", "N_EQ_BANDS", "shaping_params", "apply_shaping", "choose_shaping",
           "long_term_spectrum_mel_db", "envelope_eq_db", "world_analyze", "pitch_carry_ratio"]

#: Shaping steps, in the order they are tried.
STEPS = ("f0", "formants", "tilt", "breathiness", "envelope", "loudness")
#: Mel bands of the envelope equaliser.
N_EQ_BANDS = 40


@dataclass(frozen=True, eq=False)
class ShapingParams:
    """How to shape a voice (identity values change nothing). Stored in :class:`~toolkit.clone.FittedVoice`.

    Attributes
    ----------
    f0_ratio : float
        Multiply the median F0 by this.
    f0_range_scale : float
        Scale log-F0 deviations from the median by this.
    formant_warp : float
        Stretch the spectral envelope along frequency by this (>1 moves formants up).
    tilt_db_per_oct : float
        Add this slope to the envelope (dB per octave, around 1 kHz).
    aperiodicity_db : float
        Raise aperiodicity by this many dB (positive = breathier).
    eq_db : np.ndarray [shape=(N_EQ_BANDS,) or (0,)]
        Gains (dB) of the envelope equaliser at :data:`N_EQ_BANDS` mel-band centres (60-7600 Hz); empty = off.
    match_loudness : bool
        Bring what the voice says to its reference's integrated loudness (the target is the reference's,
        filled in as ``loudness_lufs`` when the voice speaks: :func:`toolkit.clone.shape_with_voice`).
    loudness_lufs : float or None
        Target integrated loudness for :func:`apply_shaping`; ``None`` leaves the level alone.
    tempo : float
        Speed the speech up by this factor in WORLD, pitch kept (the part of the reference's pace past what
        Kokoro says itself, :func:`toolkit.clone.generate.split_speed`; filled in when the voice speaks, like
        ``loudness_lufs``).

    Examples
    --------
    >>> p = ShapingParams(f0_ratio=1.1, eq_db=np.zeros(N_EQ_BANDS))
    >>> p.needs_vocoder(), p.eq_db.shape, p.is_identity()
    (True, (40,), False)
    >>> ShapingParams.from_dict(p.to_dict()) == p
    True
    """

    f0_ratio: float = 1.0
    f0_range_scale: float = 1.0
    formant_warp: float = 1.0
    tilt_db_per_oct: float = 0.0
    aperiodicity_db: float = 0.0
    eq_db: np.ndarray = field(default_factory=lambda: np.zeros(0))
    match_loudness: bool = False
    loudness_lufs: float | None = None
    tempo: float = 1.0

    def __post_init__(self):
        eq = np.asarray(self.eq_db, np.float64).reshape(-1)
        if eq.size not in (0, N_EQ_BANDS) or not np.isfinite(eq).all():
            raise ParameterError(f"eq_db must hold 0 or {N_EQ_BANDS} finite gains in dB, got {eq.size} values")
        eq.setflags(write=False)
        object.__setattr__(self, "eq_db", eq)
        object.__setattr__(self, "match_loudness", bool(self.match_loudness))
        if not (np.isfinite(self.tempo) and 0.25 <= self.tempo <= 4):
            raise ParameterError(f"tempo must be between 0.25 and 4 (1 = unchanged), got {self.tempo!r}")
        object.__setattr__(self, "tempo", float(self.tempo))

    def __eq__(self, other):
        if not isinstance(other, ShapingParams):
            return NotImplemented
        return all(np.array_equal(getattr(self, f.name), getattr(other, f.name)) if f.name == "eq_db"
                   else getattr(self, f.name) == getattr(other, f.name) for f in fields(self))

    __hash__ = None

    def needs_vocoder(self) -> bool:
        """Whether WORLD is needed (tilt, equaliser and loudness are plain filters and gains)."""
        return (abs(self.f0_ratio - 1) > 1e-3 or abs(self.f0_range_scale - 1) > 1e-3
                or abs(self.formant_warp - 1) > 1e-3 or abs(self.aperiodicity_db) > 1e-3 or abs(self.tempo - 1) > 1e-3)

    def is_identity(self) -> bool:
        return (not self.needs_vocoder() and abs(self.tilt_db_per_oct) <= 1e-3 and not len(self.eq_db)
                and self.loudness_lufs is None)

    def to_dict(self) -> dict:
        """Plain JSON-ready values (the equaliser as a list)."""
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["eq_db"] = [float(v) for v in self.eq_db]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "ShapingParams":
        """The inverse of :meth:`to_dict` (unknown keys are refused)."""
        bad = set(d) - {f.name for f in fields(cls)}
        if bad:
            raise ParameterError(f"unknown shaping settings {sorted(bad)}")
        return cls(**d)

    def items(self):
        """The scalar settings as ``(name, value)`` pairs (what older code read from the dict form)."""
        return [(f.name, getattr(self, f.name)) for f in fields(self) if f.name not in ("eq_db", "loudness_lufs", "tempo")]


def _mel_centres_hz():
    """Centres of the :data:`N_EQ_BANDS` mel bands (``librosa.mel_frequencies(N + 2, 60, 7600)[1:-1]``, in numpy)."""
    from ..analysis.spectrum import _hz_to_mel, _mel_to_hz

    return _mel_to_hz(np.linspace(_hz_to_mel(60.0), _hz_to_mel(7600.0), N_EQ_BANDS + 2))[1:-1]


def long_term_spectrum_mel_db(y, *, sr) -> np.ndarray:
    """Average level (dB) of each of :data:`N_EQ_BANDS` mel bands over a clip's speech frames.

    The mel power spectrogram is the lab's numpy one (the same numbers as librosa's, ``tests/test_clone_mel.py``),
    so fitting a voice in the app's kernel does not load librosa and numba.
    """
    from ..analysis.spectrum import _mel_power
    from ..audio import resample

    y16 = resample(valid_audio(y, sr=sr), sr=sr, target_sr=ANALYSIS_SR_HZ)
    M = _mel_power(y16, ANALYSIS_SR_HZ, N_FFT, HOP_LENGTH, WIN_LENGTH, N_EQ_BANDS, 60.0, 7600.0).astype(np.float64)
    db = 10 * np.log10(M + 1e-10)
    e = db.max(axis=0)
    return db[:, e > e.max() - 35.0].mean(axis=1)


def envelope_eq_db(y, *, sr, reference_ltas_db, n_keep: int = 12, max_db: float = 12.0) -> np.ndarray:
    """Smooth equaliser gains (dB per mel band) that make ``y``'s average spectrum match the reference's."""
    from scipy.fft import dct, idct

    diff = np.asarray(reference_ltas_db) - long_term_spectrum_mel_db(y, sr=sr)
    c = dct(diff - diff.mean(), norm="ortho")
    c[n_keep:] = 0.0
    return np.clip(idct(c, norm="ortho"), -max_db, max_db)


def _apply_eq(y, sr, eq_db=(), tilt_db_per_oct=0.0):
    """A fixed filter: the envelope equaliser (dB at mel-band centres) plus a tilt (dB/octave around 1 kHz)."""
    from scipy.signal import istft, stft

    n_fft = 1024
    f, _, Z = stft(y, fs=sr, nperseg=n_fft, noverlap=n_fft * 3 // 4)
    gain_db = np.zeros_like(f)
    if len(eq_db):
        gain_db += np.interp(f, _mel_centres_hz(), np.asarray(eq_db))  # held flat below/above the outer bands
    if tilt_db_per_oct:
        gain_db += tilt_db_per_oct * np.log2(np.maximum(f, 50.0) / 1000.0)
    _, out = istft(Z * (10.0 ** (gain_db / 20.0))[:, None], fs=sr, nperseg=n_fft, noverlap=n_fft * 3 // 4)
    return out[: len(y)].astype(np.float32)


def _finite(v, default):
    v = float(v)
    return v if np.isfinite(v) else default


def shaping_params(gen_profile, ref_profile, *, steps=STEPS) -> ShapingParams:
    """Parameters that move ``gen_profile`` toward ``ref_profile`` for the chosen ``steps``.

    The envelope equaliser needs the audio itself, so it is set by :func:`choose_shaping`
    (or :func:`envelope_eq_db`), not here. Changes are limited to ranges WORLD handles cleanly (F0 ×0.5-2, range ×0.5-1.6, warp 0.85-1.18).
    """
    bad = set(steps) - set(STEPS)
    if bad:
        raise ParameterError(f"unknown shaping steps {sorted(bad)}; choose from {', '.join(STEPS)}")
    p = ShapingParams()
    if "f0" in steps:
        ratio = _finite(ref_profile.f0_median_hz, 1) / _finite(gen_profile.f0_median_hz, 1)
        scale = _finite(ref_profile.f0_range_st, 1) / max(_finite(gen_profile.f0_range_st, 1), 1.0)
        p = replace(p, f0_ratio=float(np.clip(ratio, 0.5, 2.0)), f0_range_scale=float(np.clip(scale, 0.5, 1.6)))
    if "formants" in steps:
        ratios = [_finite(r, np.nan) / _finite(g, np.nan) for r, g in zip(ref_profile.formants_hz, gen_profile.formants_hz)]
        ratios = [r for r in ratios if np.isfinite(r) and r > 0]
        if ratios:
            p = replace(p, formant_warp=float(np.clip(np.exp(np.mean(np.log(ratios))), 0.85, 1.18)))
    if "tilt" in steps:
        d = _finite(ref_profile.spectral_tilt_db_per_oct, 0) - _finite(gen_profile.spectral_tilt_db_per_oct, 0)
        p = replace(p, tilt_db_per_oct=float(np.clip(d, -4, 4)))
    if "breathiness" in steps:
        d = _finite(gen_profile.hnr_db, 0) - _finite(ref_profile.hnr_db, 0)  # lower HNR in the reference: breathier
        p = replace(p, aperiodicity_db=float(np.clip(d, -6, 6)))
    if "loudness" in steps and np.isfinite(ref_profile.loudness_lufs):
        p = replace(p, loudness_lufs=float(ref_profile.loudness_lufs))
    return p


def pitch_carry_ratio(gen_profile, ref_profile, *, share: float | None = None, max_st: float | None = None) -> float:
    """F0 ratio that moves the generated voice's median F0 toward the reference's: ``share`` of the gap in
    semitones, within ``±max_st`` semitones.

    ``share`` defaults to :data:`toolkit.defaults.PITCH_CARRY_SHARE` (1 = all the way to the reference's
    median), ``max_st`` to :data:`toolkit.defaults.PITCH_CARRY_MAX_ST`; 1.0 when either median is missing.
    Whatever the share, a reference that is 3 semitones higher asks for a shift ``3 · share`` semitones
    larger for the same voice.

    Examples
    --------
    >>> from types import SimpleNamespace as P
    >>> round(pitch_carry_ratio(P(f0_median_hz=200.0), P(f0_median_hz=200.0 * 2 ** (3 / 12)), share=1.0), 4)
    1.1892
    >>> round(float(12 * np.log2(pitch_carry_ratio(P(f0_median_hz=200.0), P(f0_median_hz=200.0 * 2 ** (3 / 12)),
    ...                                             share=0.5))), 2)
    1.5
    >>> round(float(12 * np.log2(pitch_carry_ratio(P(f0_median_hz=100.0), P(f0_median_hz=400.0), share=1.0))), 1)
    8.0
    """
    from ..defaults import PITCH_CARRY_MAX_ST, PITCH_CARRY_SHARE

    lim = PITCH_CARRY_MAX_ST if max_st is None else float(max_st)
    k = PITCH_CARRY_SHARE if share is None else float(share)
    if not (np.isfinite(k) and 0.0 <= k <= 1.0):
        raise ParameterError(f"share must be between 0 and 1 (the part of the pitch gap to close), got {share!r}")
    g, r = _finite(gen_profile.f0_median_hz, np.nan), _finite(ref_profile.f0_median_hz, np.nan)
    if not (np.isfinite(g) and np.isfinite(r)) or g <= 0 or r <= 0:
        return 1.0
    return float(2.0 ** (np.clip(k * 12.0 * np.log2(r / g), -lim, lim) / 12.0))


def world_analyze(y, *, sr):
    """WORLD analysis of ``y`` for shaping: :func:`toolkit.prosody.world_analyze` with DIO + StoneMask F0
    (50-600 Hz) and no pause finding (the slow half of shaping)."""
    from ..defaults import SHAPING_F0_MAX_HZ, SHAPING_F0_MIN_HZ
    from ..prosody import world_analyze as analyze

    return analyze(y, sr=sr, fmin_hz=SHAPING_F0_MIN_HZ, fmax_hz=SHAPING_F0_MAX_HZ, f0_tracker="dio", pauses=False)


def _world_synth(analysis, sr, params: ShapingParams):
    from ..prosody import _pyworld

    pw = _pyworld()

    f0, sp, ap, n = analysis.f0_hz, analysis.sp, analysis.ap, analysis.n_samples
    voiced = f0 > 0
    if voiced.any() and (params.f0_ratio != 1 or params.f0_range_scale != 1):
        lf = np.log(f0[voiced])
        med = np.median(lf)
        f0 = f0.copy()
        f0[voiced] = np.exp(med + np.log(params.f0_ratio) + (lf - med) * params.f0_range_scale)
    n_bins = sp.shape[1]
    freqs = np.linspace(0, sr / 2, n_bins)
    if params.formant_warp != 1:
        src = np.clip(freqs / params.formant_warp, 0, sr / 2)
        sp = np.stack([np.interp(src, freqs, row) for row in sp])
    if params.aperiodicity_db:
        ap = np.clip(ap * 10.0 ** (params.aperiodicity_db / 20.0), 1e-6, 1.0)
    # a faster tempo: the same frames, played at a shorter frame period (no frame is interpolated or dropped)
    frame_period_ms = analysis.frame_period_ms / params.tempo
    n = int(round(n / params.tempo))
    out = pw.synthesize(f0, np.ascontiguousarray(sp), np.ascontiguousarray(ap), sr, frame_period=frame_period_ms)
    out = out[:n]
    return np.pad(out, (0, n - len(out))).astype(np.float32)


def apply_shaping(y, *, sr, params: ShapingParams, analysis=None) -> np.ndarray:
    """Apply :class:`ShapingParams` to speech ``y`` (WORLD only when a spectral or pitch step is on).

    ``analysis`` is :func:`world_analyze` of ``y``, when already at hand (it is the slow half).

    Examples
    --------
    >>> import numpy as np
    >>> y = np.sin(2 * np.pi * 150 * np.arange(24000) / 24000).astype(np.float32) * 0.3
    >>> apply_shaping(y, sr=24000, params=ShapingParams()).shape
    (24000,)
    """
    y = valid_audio(y, sr=sr)
    if params.needs_vocoder():
        out = _world_synth(analysis if analysis is not None else world_analyze(y, sr=sr), sr, params)
    else:
        out = y.copy()
    if len(params.eq_db) or params.tilt_db_per_oct:
        out = _apply_eq(out, sr, params.eq_db, params.tilt_db_per_oct)
    if params.loudness_lufs is not None:
        from ..analysis import loudness_lufs

        now = loudness_lufs(out, sr=sr)
        if np.isfinite(now):
            out = out * np.float32(10.0 ** (np.clip(params.loudness_lufs - now, -30, 30) / 20.0))
        peak = float(np.max(np.abs(out))) if out.size else 0.0
        if peak > 0.99:
            out = out * np.float32(0.99 / peak)
    return out.astype(np.float32)


def choose_shaping(y, *, sr, gen_profile, ref_profile, ref_embedding, steps=STEPS, min_gain: float = 0.003,
                   reference_ltas_db=None, carry_pitch: bool = True, similarity_of_y: float | None = None):
    """Try the shaping steps one at a time on ``y``; keep each only if GE2E similarity to the reference rises.

    With ``carry_pitch`` (and ``"f0"`` among the steps) the reference's pitch is carried over first, always:
    the median F0 moves toward the reference's (:func:`pitch_carry_ratio`, its default share of the gap),
    and the ``"f0"`` step then only tries the reference's F0 range on top of it.

    A step must raise similarity by more than ``min_gain`` (changes smaller than that are noise, and WORLD
    costs time and naturalness). Loudness does not change what the speaker encoder hears (it normalises
    level), so it is kept whenever asked.
    The envelope step needs ``reference_ltas_db`` (:func:`long_term_spectrum_mel_db` of the reference) and is
    computed on the speech as shaped by the steps kept before it.
    ``similarity_of_y``: the similarity of ``y`` itself to ``ref_embedding``, when already known (the fit measured
    it on each candidate), so it is not embedded again.

    Returns
    -------
    params : ShapingParams
        The accumulated kept steps.
    log : list of dict
        One row per step tried: ``step``, ``similarity`` with the step, ``kept``; the carried pitch is the row
        ``"pitch"``, with ``forced=True`` and a ``detail`` such as ``"pitch +2.9 st from your reference"``.
    """
    from ..embedding import embed, similarity

    full = shaping_params(gen_profile, ref_profile, steps=steps)
    analysis = world_analyze(y, sr=sr)
    base_sim = similarity(embed(y, sr=sr), ref_embedding) if similarity_of_y is None else float(similarity_of_y)
    current, log = ShapingParams(), [{"step": "none", "similarity": base_sim, "kept": True}]
    current_y = None  # the speech shaped by ``current``, once made (the envelope step starts from it)
    fields = {"f0": ("f0_ratio", "f0_range_scale"), "formants": ("formant_warp",), "tilt": ("tilt_db_per_oct",),
              "breathiness": ("aperiodicity_db",)}
    if carry_pitch and "f0" in steps:
        ratio = pitch_carry_ratio(gen_profile, ref_profile)
        current = ShapingParams(f0_ratio=ratio)
        current_y = apply_shaping(y, sr=sr, params=current, analysis=analysis)
        base_sim = similarity(embed(current_y, sr=sr), ref_embedding)
        log.append({"step": "pitch", "similarity": base_sim, "kept": True, "forced": True,
                    "detail": f"pitch {12 * np.log2(ratio):+.1f} st from your reference"})
        fields["f0"] = ("f0_range_scale",)
    for step in steps:
        if step == "loudness":
            current, current_y = replace(current, loudness_lufs=full.loudness_lufs, match_loudness=True), None
            log.append({"step": step, "similarity": log[-1]["similarity"] if log else base_sim, "kept": True})
            continue
        if step == "envelope":
            if reference_ltas_db is None:
                continue
            before = apply_shaping(y, sr=sr, params=current, analysis=analysis) if current_y is None else current_y
            trial = replace(current, eq_db=envelope_eq_db(before, sr=sr, reference_ltas_db=reference_ltas_db))
        else:
            trial = replace(current, **{f: getattr(full, f) for f in fields[step]})
            if trial.is_identity() or trial == current:
                continue
        trial_y = apply_shaping(y, sr=sr, params=trial, analysis=analysis)
        sim = similarity(embed(trial_y, sr=sr), ref_embedding)
        kept = sim > base_sim + min_gain
        log.append({"step": step, "similarity": sim, "kept": bool(kept)})
        if kept:
            current, base_sim, current_y = trial, sim, trial_y
    return current, log
