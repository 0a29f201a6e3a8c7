"""Why your recorded voice sounds wrong to you: a model of hearing your own voice.

When you speak, your voice reaches your inner ears by two paths:

* the **air path**: sound leaves the mouth, travels around the head and enters
  the ear canals (this is also the only path to a microphone or to a listener);
* the **bone path**: the vibrating vocal tract shakes the skull and soft tissue,
  which drive the cochlea directly. Bone transmits low and mid frequencies far
  better than high ones.

What you hear while speaking is the mix of both; a recording holds only the
air-conducted sound, picked up in front of you. So your recorded voice lacks the
bone-conducted low/mid weight, and sounds thinner and higher than "your" voice.

The model
---------
All gains are in dB relative to the recording (a microphone in front of the
talker), at the frequencies of :data:`TABLE_FREQS_HZ`::

    air(f)   = AIR_PATH_DB(f)                       (+ plug loss when occluded)
    bone(f)  = air(f) at open ears + BONE_REL_AIR_DB(f) + 20 log10(bone_mix)
                                                    (+ OCCLUSION_BOOST_DB(f) when occluded)
    mixed(f) = 10 log10(10**(air/10) + 10**(bone/10))     (power sum)

The two paths carry the same voice, but their relative phase is not known (it
differs between people, phonemes and frequencies), so they are summed in power.
``as_you_hear_yourself`` filters a recording with ``mixed(f)``;
``as_others_hear_you`` applies the (limited) inverse. Everything between the
table frequencies is interpolated linearly in dB over log-frequency; below the
first and above the last point the curve is held flat.

The numbers, and where they come from (be careful: most are ours)
------------------------------------------------------------------
* ``BONE_REL_AIR_DB``, bone relative to air for the own voice, open ears. The
  only firm published facts we build on: the two parts are "of the same order of
  magnitude" (von Békésy 1949); bone conduction *dominates* the own voice between
  1 and 2 kHz for most of ten phonemes, with phoneme-dependent differences
  (Reinfeldt, Östli, Håkansson & Stenfelt 2010, abstract); bone-conducted
  transmission of the own voice matters at low and mid frequencies and air
  conduction dominates at high frequencies (Pörschmann 2000). The individual
  values are **our smoothed model parameters** that follow those statements
  (positive at 1-2 kHz, near 0 dB at 0.5 kHz, falling steeply above 2 kHz); they
  are *not* digitised from any figure. Real data scatter by ±5-10 dB between
  phonemes and people.
* ``AIR_PATH_DB``, mouth to own ear relative to a microphone in front. Published
  fact: speech radiates nearly equally in all directions at low frequencies and
  increasingly forward as frequency rises (Chu & Warnock 2002; Pörschmann 2000
  measured the mouth-to-ear path directly). The values (0 dB up to 0.5 kHz,
  falling to -7 dB at 8 kHz) are **our approximation** of that trend, not a
  reading of a specific figure.
* ``OCCLUSION_BOOST_DB``, added to the bone path when the ear canals are
  plugged. Published: the occlusion effect raises the ear-canal sound pressure of
  bone-conducted sound by up to about 20 dB around 250 Hz for a shallow plug and
  is small above about 1 kHz (Stenfelt & Reinfeldt 2007 measured it for shallow
  and deep foam plugs and an ear muff; the clinical rule of thumb "up to 20 dB at
  250 Hz, minimal above 1000 Hz" is summarised in Canadian Audiologist 2025). The 20 dB at
  125-250 Hz and ~0 dB from 2 kHz follow those sources; the values in between
  (14, 5, 1 dB at 0.5, 1, 1.5 kHz) are **our interpolation**.
* ``EARPLUG_LOSS_DB`` (20 dB, flat), how much the plug (or a finger) attenuates
  the air path: **our parameter**. Real insertion loss depends on the plug and
  the fit (foam plugs reach 30-40 dB, a finger much less) and on frequency.
* ``bone_mix`` (default 1.0) scales the bone path's amplitude: 0 gives air only,
  2 makes the bone path 6 dB stronger. No published number fixes it for a given
  person: it is the knob that stands for individual differences.

References
----------
* G. von Békésy (1949). The structure of the middle ear and the hearing of one's
  own voice by bone conduction. J. Acoust. Soc. Am. 21(3), 217-232.
  doi:10.1121/1.1906501
* C. Pörschmann (2000). Influences of bone conduction and air conduction on the
  sound of one's own voice. Acta Acustica united with Acustica 86(6), 1038-1045.
* W. T. Chu and A. C. C. Warnock (2002). Detailed directivity of sound fields
  around human talkers. NRC Institute for Research in Construction, report RR-104.
* S. Stenfelt and R. L. Goode (2005). Bone-conducted sound: physiological and
  clinical aspects. Otology & Neurotology 26(6), 1245-1261.
* S. Stenfelt and S. Reinfeldt (2007). A model of the occlusion effect with
  bone-conducted stimulation. Int. J. Audiol. 46(10), 595-608.
  doi:10.1080/14992020701545880
* S. Reinfeldt, P. Östli, B. Håkansson and S. Stenfelt (2010). Hearing one's own
  voice during phoneme vocalization: transmission by air and bone conduction.
  J. Acoust. Soc. Am. 128(2), 751-762. doi:10.1121/1.3458855
* Canadian Audiologist (2025), vol. 12 no. 5, "Quick Answers" column: Minimizing
  the occlusion effect with musicians' earplugs.
  https://canadianaudiologist.ca/issue/volume-12-issue-5-2025/column/quick-answers

Taught in ``notebooks/02_bone_vs_air.ipynb``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .audio import valid_audio
from .errors import ParameterError

__all__ = [
    "TABLE_FREQS_HZ", "AIR_PATH_DB", "BONE_REL_AIR_DB", "OCCLUSION_BOOST_DB", "EARPLUG_LOSS_DB",
    "DEFAULT_BONE_MIX", "MAX_BONE_MIX", "TransferCurves", "gain_table", "transfer_curves",
    "conduction_fir", "as_you_hear_yourself", "as_others_hear_you", "band_energy_ratio_db",
]

#: Frequencies (Hz) at which the model's gains are tabulated.
TABLE_FREQS_HZ = np.array([125, 250, 500, 1000, 1500, 2000, 3000, 4000, 6000, 8000], dtype=float)

#: Air path, mouth to own ear, relative to a microphone in front of the talker (dB).
#: Our approximation of the published trend (speech radiates forward at high frequencies).
AIR_PATH_DB = np.array([0.0, 0.0, 0.0, -1.0, -2.0, -3.0, -4.0, -5.0, -6.0, -7.0])

#: Bone path relative to the air path, own voice, open ears (dB). Our smoothed parameters
#: following von Békésy 1949 (same order), Reinfeldt et al. 2010 (bone dominates 1-2 kHz),
#: Pörschmann 2000 (air dominates at high frequencies). Not digitised data.
BONE_REL_AIR_DB = np.array([-3.0, -2.0, 0.0, 2.0, 3.0, 1.0, -6.0, -12.0, -20.0, -25.0])

#: Occlusion effect added to the bone path when the ears are plugged (dB). 20 dB at
#: 125-250 Hz and ~0 dB from 2 kHz after Stenfelt & Reinfeldt 2007 / Canadian Audiologist 2025; the
#: values between are our interpolation.
OCCLUSION_BOOST_DB = np.array([20.0, 20.0, 14.0, 5.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0])

#: Attenuation of the air path by the plug or finger when occluded (dB, flat). Our parameter.
EARPLUG_LOSS_DB = 20.0

#: Default and largest bone-path amplitude factor.
DEFAULT_BONE_MIX = 1.0
MAX_BONE_MIX = 4.0

#: Largest boost the inverse filter may apply at any frequency (dB): keeps
#: ``as_others_hear_you`` from amplifying noise where the forward filter cut deeply.
MAX_INVERSE_BOOST_DB = 24.0

#: Output peaks are kept at or below this (linear, about -0.1 dBFS).
PEAK_LIMIT = 0.99

#: Length of the FIR filters (s); ~64 ms resolves the 125 Hz table point.
FIR_DURATION_S = 0.064

#: Lowest sample rate the model accepts (Hz): the table runs to 4 kHz at least.
MIN_SR_HZ = 8000


@dataclass(frozen=True)
class TransferCurves:
    """Gains of the two paths and their mix, in dB relative to the recording.

    Attributes
    ----------
    freqs_hz : np.ndarray [shape=(n,)]
    air_db, bone_db, mixed_db : np.ndarray [shape=(n,)]
        Air path, bone path (``-inf`` when ``bone_mix == 0``) and their power sum.
    bone_mix : float
    occlusion : bool
    """

    freqs_hz: np.ndarray
    air_db: np.ndarray
    bone_db: np.ndarray
    mixed_db: np.ndarray
    bone_mix: float
    occlusion: bool


def _check_settings(bone_mix, occlusion):
    if isinstance(bone_mix, bool) or not isinstance(bone_mix, (int, float, np.integer, np.floating)):
        raise ParameterError(f"bone_mix must be a number between 0 and {MAX_BONE_MIX:g}, got {bone_mix!r}")
    if not np.isfinite(bone_mix) or not 0.0 <= float(bone_mix) <= MAX_BONE_MIX:
        raise ParameterError(
            f"bone_mix must be between 0 (air only) and {MAX_BONE_MIX:g}, got {bone_mix!r}; "
            f"1.0 is the default model"
        )
    if not isinstance(occlusion, (bool, np.bool_)):
        raise ParameterError(f"occlusion must be True or False (ears plugged or open), got {occlusion!r}")
    return float(bone_mix), bool(occlusion)


def _check_sr(sr):
    if isinstance(sr, bool) or not np.isscalar(sr) or not np.isfinite(sr) or sr <= 0:
        raise ParameterError(f"sr must be a positive sample rate in Hz, got {sr!r}")
    if sr < MIN_SR_HZ:
        raise ParameterError(f"sr={sr} Hz is too low for the conduction model; use at least {MIN_SR_HZ} Hz")
    return int(sr)


def gain_table(*, bone_mix: float = DEFAULT_BONE_MIX, occlusion: bool = False) -> TransferCurves:
    """The model's gains at :data:`TABLE_FREQS_HZ` (the documented table).

    Examples
    --------
    >>> t = gain_table()
    >>> float(t.mixed_db[list(t.freqs_hz).index(500.0)])  # air 0 dB + bone 0 dB, power sum
    3.010299956639812
    """
    bone_mix, occlusion = _check_settings(bone_mix, occlusion)
    air = AIR_PATH_DB.copy()
    with np.errstate(divide="ignore"):
        bone = AIR_PATH_DB + BONE_REL_AIR_DB + 20.0 * np.log10(bone_mix)
    if occlusion:
        air = air - EARPLUG_LOSS_DB
        bone = bone + OCCLUSION_BOOST_DB
    mixed = 10.0 * np.log10(10.0 ** (air / 10.0) + 10.0 ** (bone / 10.0))
    return TransferCurves(TABLE_FREQS_HZ.copy(), air, bone, mixed, bone_mix, occlusion)


def _interp_db(freqs_hz, table_db):
    """Linear in dB over log-frequency between table points, flat outside."""
    f = np.maximum(np.asarray(freqs_hz, dtype=float), 1e-3)
    return np.interp(np.log(f), np.log(TABLE_FREQS_HZ), table_db)


def transfer_curves(*, sr: int, n_freqs: int = 256, bone_mix: float = DEFAULT_BONE_MIX,
                    occlusion: bool = False) -> TransferCurves:
    """Air, bone and mixed gains (dB) on a log-frequency grid from 50 Hz to ``sr / 2``, for plotting.

    Parameters
    ----------
    sr : int
        Sample rate (Hz); sets the top frequency.
    n_freqs : int
        Number of frequencies (at least 2).
    bone_mix : float
        Bone path amplitude factor, 0 to :data:`MAX_BONE_MIX` (1 = the default model).
    occlusion : bool
        Ears plugged: boost the bone path at low frequencies and attenuate the air path.

    See Also
    --------
    toolkit.plot.plot_transfer_curves

    Examples
    --------
    >>> c = transfer_curves(sr=16000, n_freqs=64)
    >>> c.freqs_hz.shape, bool(c.mixed_db[0] > c.mixed_db[-1])
    ((64,), True)
    """
    sr = _check_sr(sr)
    if isinstance(n_freqs, bool) or not isinstance(n_freqs, (int, np.integer)) or n_freqs < 2:
        raise ParameterError(f"n_freqs must be an integer of at least 2, got {n_freqs!r}")
    table = gain_table(bone_mix=bone_mix, occlusion=occlusion)
    freqs = np.geomspace(50.0, sr / 2.0, int(n_freqs))
    air = _interp_db(freqs, table.air_db)
    bone = _interp_db(freqs, table.bone_db) if np.all(np.isfinite(table.bone_db)) else np.full_like(freqs, -np.inf)
    mixed = _interp_db(freqs, table.mixed_db)
    return TransferCurves(freqs, air, bone, mixed, table.bone_mix, table.occlusion)


def conduction_fir(*, sr: int, bone_mix: float = DEFAULT_BONE_MIX, occlusion: bool = False,
                   inverse: bool = False, numtaps: int | None = None) -> np.ndarray:
    """Linear-phase FIR filter whose magnitude follows ``mixed_db`` (or its inverse).

    Designed with :func:`scipy.signal.firwin2` (frequency sampling, Hann window)
    from the table interpolated on a dense grid. Its delay is ``(numtaps - 1) / 2``
    samples, which :func:`as_you_hear_yourself` removes so output and input line up.

    Returns
    -------
    h : np.ndarray [shape=(numtaps,)], float64

    Examples
    --------
    >>> conduction_fir(sr=16000).shape
    (1025,)
    """
    from scipy.signal import firwin2

    sr = _check_sr(sr)
    if numtaps is None:
        numtaps = int(round(FIR_DURATION_S * sr)) | 1
    if isinstance(numtaps, bool) or not isinstance(numtaps, (int, np.integer)) or numtaps < 65 or numtaps % 2 == 0:
        raise ParameterError(f"numtaps must be an odd integer of at least 65, got {numtaps!r}")
    table = gain_table(bone_mix=bone_mix, occlusion=occlusion)
    grid = np.linspace(0.0, sr / 2.0, 1025)
    gain_db = _interp_db(grid, table.mixed_db)
    if inverse:
        gain_db = np.minimum(-gain_db, MAX_INVERSE_BOOST_DB)
    return firwin2(int(numtaps), grid, 10.0 ** (gain_db / 20.0), fs=sr, window="hann")


def _apply(y, h, *, sr):
    from scipy.signal import oaconvolve

    y = valid_audio(y, sr=sr)
    delay = (len(h) - 1) // 2
    out = oaconvolve(y.astype(np.float64), h, mode="full")[delay:delay + len(y)]
    rms_in = float(np.sqrt(np.mean(np.square(y, dtype=np.float64))))
    rms_out = float(np.sqrt(np.mean(np.square(out))))
    if rms_in == 0.0 or rms_out == 0.0:
        return np.zeros_like(y)
    out *= rms_in / rms_out  # same RMS level as the input
    peak = float(np.max(np.abs(out)))
    if peak > PEAK_LIMIT:  # never clip: scale the whole clip down (level then a little below the input's)
        out *= PEAK_LIMIT / peak
    return out.astype(np.float32)


def as_you_hear_yourself(y, *, sr: int, bone_mix: float = DEFAULT_BONE_MIX, occlusion: bool = False) -> np.ndarray:
    """A recording of a voice, filtered to sound as its speaker hears it while speaking.

    Adds the bone-conducted path (low/mid weight) and the around-the-head air path
    to the front-microphone recording. The output has the input's length and
    alignment (linear-phase filter, delay removed) and its RMS level, unless that
    would push a peak above :data:`PEAK_LIMIT`: then the whole clip is scaled
    down so it never clips.

    Parameters
    ----------
    y : np.ndarray [shape=(n,)]
        The recording (air-conducted, as others hear it).
    sr : int
        Sample rate (Hz), at least 8000.
    bone_mix : float
        Bone path amplitude factor: 0 = air only, 1 = the default model, up to 4.
    occlusion : bool
        Ears plugged (fingers or earplugs): the occlusion effect boosts the bone
        path by up to 20 dB at low frequencies and the plug attenuates the air path.

    Returns
    -------
    np.ndarray [shape=(n,)], float32

    Raises
    ------
    ParameterError
        For an unusable waveform, sample rate, ``bone_mix`` or ``occlusion``.

    See Also
    --------
    as_others_hear_you, transfer_curves

    Notes
    -----
    Taught in ``notebooks/02_bone_vs_air.ipynb``.

    Examples
    --------
    >>> from toolkit import media
    >>> clip = media.example("vowel_a_150")
    >>> mine = as_you_hear_yourself(clip.y, sr=clip.sr)
    >>> len(mine) == len(clip.y), float(abs(mine).max()) <= 1.0
    (True, True)
    """
    y = valid_audio(y, sr=sr)
    sr = _check_sr(sr)
    return _apply(y, conduction_fir(sr=sr, bone_mix=bone_mix, occlusion=occlusion), sr=sr)


def as_others_hear_you(y, *, sr: int, bone_mix: float = DEFAULT_BONE_MIX, occlusion: bool = False) -> np.ndarray:
    """The inverse direction: from the voice as you hear it to the air-conducted voice others hear.

    Applies the inverse of :func:`as_you_hear_yourself`'s filter, with boosts
    limited to :data:`MAX_INVERSE_BOOST_DB`, so it is an approximate compensation:
    it tells what a recording lacks compared with the voice you know (read the
    inverse curve upside down), and it undoes :func:`as_you_hear_yourself` on a
    clip up to that limit. Same length, RMS level and no-clip guarantee.

    Notes
    -----
    Taught in ``notebooks/02_bone_vs_air.ipynb``.

    Examples
    --------
    >>> from toolkit import media
    >>> clip = media.example("vowel_a_150")
    >>> back = as_others_hear_you(as_you_hear_yourself(clip.y, sr=clip.sr), sr=clip.sr)
    >>> len(back) == len(clip.y)
    True
    """
    y = valid_audio(y, sr=sr)
    sr = _check_sr(sr)
    return _apply(y, conduction_fir(sr=sr, bone_mix=bone_mix, occlusion=occlusion, inverse=True), sr=sr)


def band_energy_ratio_db(y, *, sr: int, low_hz=(100.0, 1000.0), high_hz=(2000.0, 6000.0)) -> float:
    """Energy in the ``low_hz`` band over energy in the ``high_hz`` band (dB), from one long FFT.

    A single number for "how bass-heavy": :func:`as_you_hear_yourself` raises it.

    Examples
    --------
    >>> from toolkit import media
    >>> clip = media.example("vowel_a_150")
    >>> band_energy_ratio_db(clip.y, sr=clip.sr) > 0
    True
    """
    y = valid_audio(y, sr=sr)
    sr = _check_sr(sr)
    for name, (lo, hi) in (("low_hz", low_hz), ("high_hz", high_hz)):
        if not 0 <= lo < hi <= sr / 2:
            raise ParameterError(f"{name}={(lo, hi)} must be a band (lo, hi) with 0 <= lo < hi <= sr/2 = {sr / 2:g} Hz")
    power = np.abs(np.fft.rfft(y.astype(np.float64))) ** 2
    freqs = np.fft.rfftfreq(len(y), 1.0 / sr)
    low = power[(freqs >= low_hz[0]) & (freqs < low_hz[1])].sum()
    high = power[(freqs >= high_hz[0]) & (freqs < high_hz[1])].sum()
    if low <= 0 or high <= 0:
        raise ParameterError("the clip has no energy in one of the bands; use speech or a broadband signal")
    return float(10.0 * np.log10(low / high))
