"""Break a reference on purpose: noise, echo, clipping, a second voice, music, hum, a bang, a phone line,
speed, volume, trimming.

Each function is pure (``f(y, *, sr, ...)`` returns a new array of the same
sample rate) and seeded where randomness is involved, so a degraded clip can be
made again exactly. They are the "bad reference" generator behind the
reference tweaker (:mod:`toolkit.ui.tweaker`) and the media examples, and they
let the tests of :mod:`toolkit.quality` make references with a known fault.

Definitions
-----------
* SNR is the ratio of the powers of the clean clip and the added noise over
  the whole clip, ``10 log10(sum(y**2) / sum(n**2))`` (dB).
* The synthetic room is a direct sound plus an exponentially decaying Gaussian
  noise tail (Polack's statistical model of late reverberation, Polack 1988 /
  Jot et al. 1997), whose energy falls by 60 dB in ``rt60_s`` seconds. The
  direct-to-reverberant ratio follows from the critical distance of a
  ``volume_m3`` room heard from ``distance_m`` away (Kuttruff, *Room
  Acoustics*: ``r_c = 0.057 sqrt(V / T60)``, ``DRR = 20 log10(r_c / r)``).
* A second voice is scaled so that its RMS sits ``level_db`` above (or below,
  when negative) the RMS of the main voice.
* Music and hum are scaled like noise (``snr_db`` over the whole clip); a bang is
  a decaying noise burst whose peak sits ``level_db`` relative to the clip's peak;
  the phone line is the ITU-T G.712 narrow band (300-3400 Hz) sampled at 8 kHz.

Taught in ``notebooks/04_reference_audio.ipynb``.
"""

from __future__ import annotations

import numpy as np

from .audio import valid_audio
from .errors import ParameterError

__all__ = ["add_noise", "white_noise", "pink_noise", "hum", "babble", "synthetic_rir", "add_reverb",
           "schroeder_rt60", "clip", "clipped_fraction", "add_voice", "alternate_turns", "change_speed",
           "change_volume", "trim", "snr_db", "add_music", "add_hum", "add_bang", "phone_band", "apply_tweaks"]

_LN1000 = 3.0 * np.log(10.0)  # amplitude decay constant × RT60 for a 60 dB energy drop


def _power(y) -> float:
    return float(np.mean(np.square(np.asarray(y, np.float64))))


def _check_sr(sr):
    if sr is None or not np.isscalar(sr) or sr <= 0:
        raise ParameterError(f"sr must be a positive sample rate in Hz, got {sr!r}")


def snr_db(clean, noisy) -> float:
    """The SNR (dB) of ``noisy`` against its ``clean`` part: the noise is ``noisy - clean``.

    Examples
    --------
    >>> import numpy as np
    >>> round(float(snr_db(np.ones(100), np.ones(100) * 1.1)), 1)
    20.0
    """
    clean, noisy = np.asarray(clean, np.float64), np.asarray(noisy, np.float64)
    if clean.shape != noisy.shape:
        raise ParameterError(f"clean and noisy differ in length: {clean.shape} vs {noisy.shape}")
    pn = _power(noisy - clean)
    return float("inf") if pn == 0 else float(10.0 * np.log10(_power(clean) / pn))


# --- noise ------------------------------------------------------------------

def white_noise(n: int, *, seed: int = 0) -> np.ndarray:
    """``n`` samples of unit-variance Gaussian white noise (hiss)."""
    return np.random.default_rng(seed).standard_normal(int(n)).astype(np.float32)


def pink_noise(n: int, *, seed: int = 0) -> np.ndarray:
    """``n`` samples of unit-variance 1/f noise (rumble-heavy, like air conditioning or traffic)."""
    n = int(n)
    spec = np.fft.rfft(np.random.default_rng(seed).standard_normal(n))
    f = np.arange(len(spec), dtype=np.float64)
    spec[1:] /= np.sqrt(f[1:])
    spec[0] = 0.0
    y = np.fft.irfft(spec, n)
    return (y / (np.std(y) + 1e-12)).astype(np.float32)


def hum(n: int, *, sr, mains_hz: float = 50.0, n_harmonics: int = 5) -> np.ndarray:
    """Mains hum: a ``mains_hz`` tone and its odd-heavy harmonics, unit variance (50 Hz in Europe, 60 Hz in America)."""
    _check_sr(sr)
    t = np.arange(int(n)) / float(sr)
    y = sum((1.0 / k) * np.sin(2 * np.pi * mains_hz * k * t + 0.3 * k) for k in range(1, n_harmonics + 1))
    return (y / (np.std(y) + 1e-12)).astype(np.float32)


def babble(voices, *, n: int, seed: int = 0) -> np.ndarray:
    """Crowd noise: several other recordings (all at one sample rate), looped, offset at random and summed.

    Parameters
    ----------
    voices : list of np.ndarray
        Speech of other people; four or more make a convincing babble.
    n : int
        Length of the result (samples); unit variance.
    """
    voices = [valid_audio(v, name="voice") for v in voices]
    if not voices:
        raise ParameterError("babble needs at least one other recording in `voices`")
    rng = np.random.default_rng(seed)
    out = np.zeros(int(n), np.float64)
    for v in voices:
        v = v / (np.std(v) + 1e-12)
        reps = int(np.ceil((n + len(v)) / len(v)))
        looped = np.tile(v, reps)
        start = int(rng.integers(0, len(v)))
        out += looped[start:start + n]
    return (out / (np.std(out) + 1e-12)).astype(np.float32)


def add_noise(y, *, sr, snr_db: float, kind: str = "white", noise=None, seed: int = 0) -> np.ndarray:
    """Add noise so that the clip's SNR is ``snr_db``.

    Parameters
    ----------
    y : np.ndarray [shape=(n,)]
        Clean clip.
    sr : int
        Sample rate (Hz).
    snr_db : float
        Wanted signal-to-noise ratio (dB); 30 dB is a quiet room, 10 dB a busy café, 0 dB as loud as the voice.
    kind : {"white", "pink", "hum", "babble"}
        Noise colour, ignored when ``noise`` is given. ``"babble"`` needs ``noise`` (see :func:`babble`).
    noise : np.ndarray, optional
        Your own noise, looped or cut to the clip's length.
    seed : int
        Seed of the random noise.

    Examples
    --------
    >>> from toolkit.media import example
    >>> clip = example("vowel_a_150")
    >>> noisy = add_noise(clip.y, sr=clip.sr, snr_db=10.0)
    >>> round(float(snr_db(clip.y, noisy)), 1)
    10.0
    """
    y = valid_audio(y, sr=sr)
    if not np.isfinite(snr_db):
        raise ParameterError(f"snr_db must be a finite number of dB, got {snr_db!r}")
    n = len(y)
    if noise is not None:
        noise = valid_audio(noise, name="noise")
        noise = np.tile(noise, int(np.ceil(n / len(noise))))[:n]
    elif kind == "white":
        noise = white_noise(n, seed=seed)
    elif kind == "pink":
        noise = pink_noise(n, seed=seed)
    elif kind == "hum":
        noise = hum(n, sr=sr)
    elif kind == "babble":
        raise ParameterError("kind='babble' needs the crowd itself: pass noise=babble([other clips], n=len(y))")
    else:
        raise ParameterError(f"unknown noise kind {kind!r}; use 'white', 'pink', 'hum' or 'babble'")
    ps, pn = _power(y), _power(noise)
    if ps == 0:
        raise ParameterError("the clip is silent, so no SNR can be set; use a clip with sound in it")
    if pn == 0:
        raise ParameterError("the noise is silent; pass a noise with sound in it")
    gain = np.sqrt(ps / (pn * 10 ** (snr_db / 10.0)))
    return (y.astype(np.float64) + gain * noise).astype(np.float32)


# --- reverberation ------------------------------------------------------------

def synthetic_rir(*, sr, rt60_s: float, drr_db: float | None = None, distance_m: float = 1.0,
                  volume_m3: float = 100.0, seed: int = 0) -> np.ndarray:
    """A room impulse response: direct sound plus an exponentially decaying noise tail.

    Parameters
    ----------
    sr : int
        Sample rate (Hz).
    rt60_s : float
        Reverberation time: how long the tail takes to decay by 60 dB (s). Living rooms 0.3-0.5 s,
        classrooms 0.6-1 s, churches and stairwells 1.5 s and more.
    drr_db : float, optional
        Direct-to-reverberant energy ratio (dB). By default it follows from the critical distance of a
        ``volume_m3`` room with this RT60 heard from ``distance_m`` (see the module notes).
    seed : int
        Seed of the tail's noise.

    Returns
    -------
    np.ndarray [shape=(round(1.2 * rt60_s * sr),)]
        The impulse response, direct sound first (value 1).
    """
    _check_sr(sr)
    if not 0.05 <= rt60_s <= 10.0:
        raise ParameterError(f"rt60_s must be between 0.05 and 10 s, got {rt60_s!r}")
    if drr_db is None:
        if distance_m <= 0 or volume_m3 <= 0:
            raise ParameterError("distance_m and volume_m3 must be positive")
        drr_db = 20.0 * np.log10(0.057 * np.sqrt(volume_m3 / rt60_s) / distance_m)
    n = max(2, int(round(1.2 * rt60_s * sr)))
    t = np.arange(n) / float(sr)
    tail = np.random.default_rng(seed).standard_normal(n) * np.exp(-_LN1000 * t / rt60_s)
    tail[0] = 0.0
    tail *= np.sqrt(10 ** (-drr_db / 10.0) / np.sum(tail**2))  # direct energy is 1
    tail[0] = 1.0
    return tail.astype(np.float32)


def add_reverb(y, *, sr, rt60_s: float, drr_db: float | None = None, seed: int = 0, rir=None) -> np.ndarray:
    """Play the clip in a room: convolve with :func:`synthetic_rir` (or your own ``rir``).

    The result has the input's length and RMS, so only the echo changes, not the loudness.

    Examples
    --------
    >>> from toolkit.media import example
    >>> clip = example("vowel_a_150")
    >>> add_reverb(clip.y, sr=clip.sr, rt60_s=0.8).shape == clip.y.shape
    True
    """
    from scipy.signal import fftconvolve

    y = valid_audio(y, sr=sr)
    h = synthetic_rir(sr=sr, rt60_s=rt60_s, drr_db=drr_db, seed=seed) if rir is None else valid_audio(rir, name="rir")
    wet = fftconvolve(y.astype(np.float64), h.astype(np.float64))[: len(y)]
    p_in, p_out = _power(y), _power(wet)
    if p_out > 0:
        wet *= np.sqrt(p_in / p_out)
    return wet.astype(np.float32)


def schroeder_rt60(rir, *, sr, fit_db=(-5.0, -25.0)) -> float:
    """RT60 of an impulse response by Schroeder backward integration (ISO 3382-1: T20 by default).

    A straight line is fitted to the energy decay curve between ``fit_db[0]`` and ``fit_db[1]``
    and extrapolated to -60 dB.
    """
    _check_sr(sr)
    h = np.asarray(rir, np.float64)
    edc = np.cumsum(h[::-1] ** 2)[::-1]
    if edc[0] <= 0:
        raise ParameterError("the impulse response is silent")
    edc_db = 10 * np.log10(np.maximum(edc / edc[0], 1e-30))
    hi, lo = fit_db
    idx = np.flatnonzero((edc_db <= hi) & (edc_db >= lo))
    if len(idx) < 2:
        raise ParameterError(f"the decay never spans {hi} to {lo} dB; pass a longer impulse response")
    slope, _ = np.polyfit(idx / float(sr), edc_db[idx], 1)
    return float(-60.0 / slope)


# --- distortion, level, timing -----------------------------------------------------

def clip(y, *, sr, drive_db: float) -> np.ndarray:
    """Overdrive: amplify by ``drive_db`` and cut everything beyond full scale (±1), as an overloaded recorder does.

    The result is scaled back by the same gain, so the level is unchanged and only the flattened peaks remain.
    """
    y = valid_audio(y, sr=sr)
    if drive_db < 0:
        raise ParameterError(f"drive_db must be >= 0 (how far past full scale to push), got {drive_db!r}")
    g = 10 ** (drive_db / 20.0)
    peak = float(np.max(np.abs(y)))
    if peak == 0:
        return y.copy()
    pre = 1.0 / peak  # put the clean peak at full scale first, so drive_db is "how far over"
    return (np.clip(y * pre * g, -1.0, 1.0) / (pre * g)).astype(np.float32)


def clipped_fraction(y, *, sr, drive_db: float) -> float:
    """Fraction of samples that :func:`clip` flattens at this drive (the known answer for tests)."""
    y = valid_audio(y, sr=sr)
    peak = float(np.max(np.abs(y)))
    if peak == 0:
        return 0.0
    return float(np.mean(np.abs(y) / peak * 10 ** (drive_db / 20.0) > 1.0))


def _match_rms(other, y, level_db):
    p_y, p_o = _power(y), _power(other)
    if p_o == 0:
        raise ParameterError("the second voice is silent; pass a clip with speech in it")
    return other * np.sqrt(p_y / p_o * 10 ** (level_db / 10.0))


def add_voice(y, *, sr, other, level_db: float = -6.0, offset_s: float = 0.0) -> np.ndarray:
    """Mix a second voice into the clip, its RMS ``level_db`` relative to the main voice (overlapping talk).

    ``other`` must have the same sample rate; it is looped or cut to the clip's length after ``offset_s``.
    """
    y = valid_audio(y, sr=sr)
    other = valid_audio(other, name="other")
    start = int(round(offset_s * sr))
    if not 0 <= start < len(y):
        raise ParameterError(f"offset_s={offset_s} lies outside the clip (0-{len(y) / sr:.2f} s)")
    o = np.tile(other, int(np.ceil((len(y) - start) / len(other))))[: len(y) - start]
    o = _match_rms(o.astype(np.float64), y, level_db)
    out = y.astype(np.float64)
    out[start:] += o
    return out.astype(np.float32)


def alternate_turns(y, *, sr, other, turn_s: float = 2.5, level_db: float = 0.0) -> np.ndarray:
    """Two people taking turns: ``turn_s`` of the clip, then ``turn_s`` of ``other``, and so on.

    The result is as long as ``y`` plus the inserted turns of ``other`` (looped when short).
    """
    y = valid_audio(y, sr=sr)
    other = valid_audio(other, name="other")
    if turn_s <= 0:
        raise ParameterError(f"turn_s must be positive, got {turn_s!r}")
    other = _match_rms(other.astype(np.float64), y, level_db).astype(np.float32)
    step = int(round(turn_s * sr))
    parts, j = [], 0
    for i in range(0, len(y), step):
        parts.append(y[i:i + step])
        if i + step < len(y):
            idx = (np.arange(j, j + step) % len(other))
            parts.append(other[idx])
            j += step
    return np.concatenate(parts).astype(np.float32)


def change_speed(y, *, sr, rate: float) -> np.ndarray:
    """Speak faster (``rate`` > 1) or slower without changing the pitch (phase-vocoder time stretch)."""
    import librosa

    y = valid_audio(y, sr=sr)
    if not 0.25 <= rate <= 4.0:
        raise ParameterError(f"rate must be between 0.25 and 4 (1 = unchanged), got {rate!r}")
    if rate == 1.0:
        return y.copy()
    return librosa.effects.time_stretch(y, rate=float(rate)).astype(np.float32)


def change_volume(y, *, sr, gain_db: float) -> np.ndarray:
    """Make the clip louder or quieter by ``gain_db`` (values past ±1 are kept: clipping is :func:`clip`'s job)."""
    y = valid_audio(y, sr=sr)
    return (y * 10 ** (gain_db / 20.0)).astype(np.float32)


def trim(y, *, sr, start_s: float = 0.0, duration_s: float | None = None) -> np.ndarray:
    """Keep ``duration_s`` seconds from ``start_s`` (to the end when ``duration_s`` is None)."""
    y = valid_audio(y, sr=sr)
    a = int(round(start_s * sr))
    if not 0 <= a < len(y):
        raise ParameterError(f"start_s={start_s} lies outside the clip (0-{len(y) / sr:.2f} s)")
    if duration_s is not None and duration_s <= 0:
        raise ParameterError(f"duration_s must be positive, got {duration_s!r}")
    b = len(y) if duration_s is None else min(len(y), a + int(round(duration_s * sr)))
    return y[a:b].copy()



# --- music, hum, interruptions, the phone line ---------------------------------------

def add_music(y, *, sr, music, snr_db: float = 10.0, offset_s: float = 0.0) -> np.ndarray:
    """Play music under the speech: ``music`` (same sample rate) from ``offset_s``, looped or cut to the clip,
    at ``snr_db`` (speech power over music power; 10 dB is a radio across the room, 0 dB as loud as you)."""
    music = valid_audio(music, name="music")
    a = int(round(offset_s * sr))
    if not 0 <= a < len(music):
        raise ParameterError(f"offset_s={offset_s} lies outside the music (0-{len(music) / sr:.2f} s)")
    return add_noise(y, sr=sr, snr_db=snr_db, noise=music[a:])


def add_hum(y, *, sr, snr_db: float = 20.0, mains_hz: float = 50.0) -> np.ndarray:
    """Add mains hum (:func:`hum`: ``mains_hz`` and its harmonics) at ``snr_db``: a fridge, a cheap USB
    microphone or a ground loop. 50 Hz in Europe, Asia and Africa, 60 Hz in the Americas."""
    if mains_hz not in (50.0, 60.0):
        raise ParameterError(f"mains_hz must be 50 or 60 (the mains frequency), got {mains_hz!r}")
    y = valid_audio(y, sr=sr)
    return add_noise(y, sr=sr, snr_db=snr_db, noise=hum(len(y), sr=sr, mains_hz=mains_hz))


def add_bang(y, *, sr, at_s: float, level_db: float = 0.0, decay_s: float = 0.08, seed: int = 0) -> np.ndarray:
    """A loud interruption at ``at_s``: a broadband noise burst (a door slam, a dropped cup, a knock) with a
    2 ms attack and an exponential decay (``decay_s`` = time to fall by 60 dB is 6.9 x ``decay_s``), its peak
    ``level_db`` relative to the clip's own peak (0 dB = as loud as your loudest syllable).

    Examples
    --------
    >>> import numpy as np
    >>> y = np.zeros(16000, np.float32); y[100] = 0.5
    >>> out = add_bang(y, sr=16000, at_s=0.5)
    >>> round(float(np.max(np.abs(out[8000:9000]))), 2)
    0.5
    """
    y = valid_audio(y, sr=sr)
    start = int(round(at_s * sr))
    if not 0 <= start < len(y):
        raise ParameterError(f"at_s={at_s} lies outside the clip (0-{len(y) / sr:.2f} s)")
    if decay_s <= 0:
        raise ParameterError(f"decay_s must be positive, got {decay_s!r}")
    peak = float(np.max(np.abs(y)))
    if peak == 0:
        raise ParameterError("the clip is silent, so the bang has no level to match; use a clip with sound")
    n = min(len(y) - start, int(round(8 * decay_s * sr)))
    t = np.arange(n) / float(sr)
    env = np.minimum(1.0, t / 0.002) * np.exp(-t / decay_s)
    burst = np.random.default_rng(seed).standard_normal(n) * env
    burst *= peak * 10 ** (level_db / 20.0) / (np.max(np.abs(burst)) + 1e-12)
    out = y.astype(np.float64)
    out[start:start + n] += burst
    return out.astype(np.float32)


def phone_band(y, *, sr, low_hz: float = 300.0, high_hz: float = 3400.0) -> np.ndarray:
    """Sound as if heard over a telephone line: band-pass ``low_hz``-``high_hz`` (ITU-T G.712 narrow band),
    resampled through 8 kHz and back to ``sr``, so nothing above 4 kHz survives."""
    from scipy.signal import butter, resample_poly, sosfiltfilt

    y = valid_audio(y, sr=sr)
    if not 0 < low_hz < high_hz < min(4000.0, sr / 2):
        raise ParameterError(f"need 0 < low_hz < high_hz < 4000 Hz, got {low_hz!r}-{high_hz!r}")
    sos = butter(6, [low_hz, high_hz], btype="bandpass", fs=sr, output="sos")
    band = sosfiltfilt(sos, y.astype(np.float64))
    g = int(np.gcd(int(sr), 8000))
    narrow = resample_poly(band, 8000 // g, int(sr) // g)
    out = resample_poly(narrow, int(sr) // g, 8000 // g)[: len(y)]
    out = np.pad(out, (0, len(y) - len(out)))
    return out.astype(np.float32)


def apply_tweaks(y, *, sr, trim_s=None, speed: float = 1.0, other=None, voice_level_db=None, rt60_s=None,
                 noise_snr_db=None, noise_kind: str = "white", gain_db: float = 0.0, drive_db: float = 0.0,
                 music=None, music_snr_db=None, bang_at_s=None, bang_level_db: float = 0.0, hum_snr_db=None,
                 mains_hz: float = 50.0, phone: bool = False, seed: int = 0) -> np.ndarray:
    """Apply several degradations in the order a real recording meets them.

    Trim → speed → a second voice in the room → music in the room → a bang → room echo → background noise →
    mains hum → a phone line → recording gain → overload (clipping) → the converter's full-scale limit (±1).
    ``None`` (or 0 dB drive, speed 1, gain 0, ``phone=False``) leaves a step out. This is what the reference tweaker (:mod:`toolkit.ui.tweaker`) plays and checks, and what a cloning
    notebook can apply to a reference before cloning.

    Parameters
    ----------
    trim_s : (float, float), optional
        Keep only this stretch (start, end) in seconds.
    other : np.ndarray, optional
        The second voice (same sample rate), needed when ``voice_level_db`` is given.
    music : np.ndarray, optional
        The music (same sample rate), needed when ``music_snr_db`` is given (:func:`add_music`).
    bang_at_s, bang_level_db : float, optional
        A bang at this time, peak relative to the clip's peak (:func:`add_bang`).
    hum_snr_db, mains_hz : float, optional
        Mains hum at this SNR (:func:`add_hum`).
    phone : bool
        Send the result through a telephone line (:func:`phone_band`).

    Examples
    --------
    >>> from toolkit.media import example
    >>> clip = example("vowel_a_150")
    >>> out = apply_tweaks(clip.y, sr=clip.sr, noise_snr_db=10, rt60_s=0.5, trim_s=(0.0, 1.0))
    >>> out.shape
    (16000,)
    """
    y = valid_audio(y, sr=sr)
    if trim_s is not None:
        start, end = float(trim_s[0]), float(trim_s[1])
        if end <= start:
            raise ParameterError(f"trim_s end must come after its start, got {trim_s!r}")
        y = trim(y, sr=sr, start_s=start, duration_s=end - start)
    if speed != 1.0:
        y = change_speed(y, sr=sr, rate=speed)
    if voice_level_db is not None:
        if other is None:
            raise ParameterError("voice_level_db needs the second voice: pass other=<waveform>")
        y = add_voice(y, sr=sr, other=other, level_db=voice_level_db)
    if music_snr_db is not None:
        if music is None:
            raise ParameterError("music_snr_db needs the music: pass music=<waveform>")
        y = add_music(y, sr=sr, music=music, snr_db=music_snr_db)
    if bang_at_s is not None:
        y = add_bang(y, sr=sr, at_s=min(float(bang_at_s), (len(y) - 1) / sr), level_db=bang_level_db, seed=seed)
    if rt60_s is not None:
        y = add_reverb(y, sr=sr, rt60_s=rt60_s, seed=seed)
    if noise_snr_db is not None:
        y = add_noise(y, sr=sr, snr_db=noise_snr_db, kind=noise_kind, seed=seed)
    if hum_snr_db is not None:
        y = add_hum(y, sr=sr, snr_db=hum_snr_db, mains_hz=mains_hz)
    if phone:
        y = phone_band(y, sr=sr)
    if gain_db:
        y = change_volume(y, sr=sr, gain_db=gain_db)
    if drive_db:
        y = clip(y, sr=sr, drive_db=drive_db)
    return np.clip(y, -1.0, 1.0).astype(np.float32)
