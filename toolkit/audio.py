"""Audio in and out: load any common format to mono float32, resample, save.

Formats: WAV, FLAC, OGG/Vorbis, MP3 (through libsndfile, via ``soundfile``) and
everything FFmpeg decodes, such as the WebM/Opus that browsers record (through
PyAV). Every function returns or takes ``y`` (a 1-D float32 array in [-1, 1])
and ``sr`` (its sample rate in Hz).

The :class:`Clip` is the one object the recorder, the example picker and the
upload box all produce, so the rest of the toolkit takes a single thing.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .defaults import MAX_LOAD_DURATION_S
from .errors import AudioLoadError, ParameterError

__all__ = ["Clip", "load", "load_bytes", "resample", "save", "to_wav_bytes", "valid_audio", "peak_dbfs", "rms_dbfs"]


@dataclass(frozen=True)
class Clip:
    """A mono recording with where it came from.

    Parameters
    ----------
    y : np.ndarray [shape=(n,)], float32
        The waveform in [-1, 1].
    sr : int
        Sample rate (Hz).
    name : str
        A short label to show ("my recording", an example key, a file name).
    source : str
        Where it came from: ``"microphone"``, ``"upload"``, ``"example"``, ``"file"``, ``"generated"``.

    Examples
    --------
    >>> import numpy as np
    >>> clip = Clip(np.zeros(16000, np.float32), 16000, name="silence")
    >>> clip.duration_s
    1.0
    """

    y: np.ndarray = field(repr=False)
    sr: int
    name: str = "clip"
    source: str = "file"

    @property
    def duration_s(self) -> float:
        """Length in seconds."""
        return len(self.y) / float(self.sr)

    @property
    def peak_dbfs(self) -> float:
        """Highest absolute sample value in dB relative to full scale."""
        return peak_dbfs(self.y)

    @property
    def rms_dbfs(self) -> float:
        """Root-mean-square level of the whole clip in dBFS."""
        return rms_dbfs(self.y)

    @classmethod
    def from_file(cls, path, *, sr=None, name=None, source="file") -> "Clip":
        """Load a file (any format :func:`load` reads) into a clip."""
        y, sr_out = load(path, sr=sr)
        return cls(y, sr_out, name=name or Path(path).stem, source=source)

    @classmethod
    def from_bytes(cls, data: bytes, *, sr=None, name="recording", source="microphone") -> "Clip":
        """Decode encoded audio held in memory (e.g. a browser's WebM/Opus recording)."""
        y, sr_out = load_bytes(data, sr=sr, what=name)
        return cls(y, sr_out, name=name, source=source)


def peak_dbfs(y: np.ndarray) -> float:
    """Peak level in dBFS (``-inf`` for digital silence)."""
    peak = float(np.max(np.abs(y))) if len(y) else 0.0
    return 20.0 * np.log10(peak) if peak > 0 else float("-inf")


def rms_dbfs(y: np.ndarray) -> float:
    """RMS level in dBFS (``-inf`` for digital silence)."""
    rms = float(np.sqrt(np.mean(np.square(y, dtype=np.float64)))) if len(y) else 0.0
    return 20.0 * np.log10(rms) if rms > 0 else float("-inf")


def valid_audio(y, *, sr=None, name: str = "y") -> np.ndarray:
    """Check that ``y`` is a usable mono waveform and return it as float32.

    Raises
    ------
    ParameterError
        If ``y`` is not a non-empty 1-D array of finite numbers, or ``sr`` is not a positive number.

    Examples
    --------
    >>> valid_audio([0.0, 0.5, -0.5], sr=16000).dtype
    dtype('float32')
    """
    arr = np.asarray(y)
    if arr.ndim != 1:
        raise ParameterError(f"{name} must be a 1-D mono waveform, got shape {arr.shape}; mix down with y.mean(axis=0)")
    if arr.size == 0:
        raise ParameterError(f"{name} is empty (0 samples); record or load some audio first")
    if not np.issubdtype(arr.dtype, np.number):
        raise ParameterError(f"{name} must hold numbers, got dtype {arr.dtype}")
    arr = arr.astype(np.float32, copy=False)
    if not np.all(np.isfinite(arr)):
        raise ParameterError(f"{name} contains NaN or infinite samples; check how it was made")
    if sr is not None and (not np.isscalar(sr) or sr <= 0):
        raise ParameterError(f"sr must be a positive sample rate in Hz, got {sr!r}")
    return arr


def _to_mono(data: np.ndarray) -> np.ndarray:
    """(n,) or (n, channels) → (n,) float32 by averaging channels."""
    data = np.asarray(data, dtype=np.float32)
    if data.ndim == 2:
        data = data.mean(axis=1)
    return np.ascontiguousarray(data)


def _decode_soundfile(src):
    import soundfile as sf

    data, sr = sf.read(src, dtype="float32", always_2d=True)
    return _to_mono(data), int(sr)


def _decode_av(src):
    import av

    try:
        container = av.open(src)
    except Exception as exc:  # PyAV raises several kinds; all mean "not audio we can read"
        raise AudioLoadError(str(exc)) from None
    with container:
        streams = [s for s in container.streams if s.type == "audio"]
        if not streams:
            raise AudioLoadError("it holds no audio stream")
        stream = streams[0]
        sr = stream.codec_context.sample_rate or stream.rate
        resampler = av.AudioResampler(format="flt", layout="mono", rate=sr)
        chunks = []
        for frame in container.decode(stream):
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray().reshape(-1))
        for out in resampler.resample(None):
            chunks.append(out.to_ndarray().reshape(-1))
    y = np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)
    return y, int(sr)


def _decode(src, what: str):
    """Try libsndfile first (fast, exact), then FFmpeg through PyAV."""
    errors = []
    for decoder in (_decode_soundfile, _decode_av):
        if isinstance(src, io.BytesIO):
            src.seek(0)
        try:
            return decoder(src)
        except AudioLoadError as exc:
            errors.append(str(exc))
        except Exception as exc:  # decoder-specific error types
            errors.append(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    raise AudioLoadError(
        f"could not read {what} as audio ({errors[-1] or 'unknown format'}); "
        "use WAV, FLAC, OGG, MP3 or WebM/Opus"
    )


def _finish(y: np.ndarray, sr_in: int, sr, what: str):
    if y.size == 0:
        raise AudioLoadError(f"{what} holds no audio samples (0 s); record or choose a longer file")
    if y.size / sr_in > MAX_LOAD_DURATION_S:
        raise AudioLoadError(
            f"{what} is {y.size / sr_in:.0f} s long; the lab loads at most {MAX_LOAD_DURATION_S:.0f} s, trim it first"
        )
    y = np.nan_to_num(y, nan=0.0, posinf=0.0, neginf=0.0)
    if sr is not None and int(sr) != sr_in:
        return resample(y, sr=sr_in, target_sr=int(sr)), int(sr)
    return y.astype(np.float32, copy=False), sr_in


def load(path, *, sr=None):
    """Load an audio file as mono float32.

    Parameters
    ----------
    path : str or os.PathLike
        WAV, FLAC, OGG, MP3, WebM/Opus, M4A, ... file.
    sr : int or None
        Resample to this rate (Hz); ``None`` keeps the file's rate.

    Returns
    -------
    y : np.ndarray [shape=(n,)], float32
    sr : int

    Raises
    ------
    AudioLoadError
        If the file is missing, empty, unreadable, not audio, or holds no samples.

    Examples
    --------
    >>> from toolkit import media
    >>> y, sr = load(media.example_path("tone_a3"), sr=16000)
    >>> sr
    16000
    """
    p = Path(os.fspath(path))
    if not p.exists():
        raise AudioLoadError(f"no such file: {p}; check the path")
    if p.is_dir():
        raise AudioLoadError(f"{p} is a folder, not an audio file; name a file inside it")
    if p.stat().st_size == 0:
        raise AudioLoadError(f"{p} is empty (0 bytes); record or export it again")
    y, sr_in = _decode(str(p), what=str(p))
    return _finish(y, sr_in, sr, what=str(p))


def load_bytes(data: bytes, *, sr=None, what: str = "the recording"):
    """Decode encoded audio held in memory (WAV, WebM/Opus, ...). See :func:`load`."""
    if not data:
        raise AudioLoadError(f"{what} is empty (0 bytes); record again and wait a moment before stopping")
    y, sr_in = _decode(io.BytesIO(bytes(data)), what=what)
    return _finish(y, sr_in, sr, what=what)


def resample(y: np.ndarray, *, sr: int, target_sr: int) -> np.ndarray:
    """Change the sample rate: the lab's one resampler (libsoxr's high-quality band-limited filter, what
    librosa uses by default as ``res_type="soxr_hq"``; ``import soxr`` takes about 0.1 s, against about
    1 s for ``scipy.signal``, so the quick ``check`` and ``analyze`` commands can use it too).

    Examples
    --------
    >>> import numpy as np
    >>> resample(np.zeros(24000, np.float32), sr=24000, target_sr=16000).shape
    (16000,)
    """
    y = valid_audio(y, sr=sr)
    if target_sr is None or target_sr <= 0:
        raise ParameterError(f"target_sr must be a positive rate in Hz, got {target_sr!r}")
    if int(sr) == int(target_sr):
        return y
    import soxr

    return soxr.resample(y.astype(np.float32, copy=False), int(sr), int(target_sr), quality="HQ").astype(np.float32)


def save(path, y: np.ndarray, *, sr: int, subtype: str = "PCM_16") -> Path:
    """Write ``y`` to a WAV (or FLAC/OGG, by the file's suffix); values beyond ±1 are clipped.

    Raises
    ------
    ToolkitError
        If the folder does not exist or cannot be written.
    """
    import soundfile as sf

    y = valid_audio(y, sr=sr)
    p = Path(os.fspath(path))
    if not p.parent.exists():
        raise AudioLoadError(f"cannot write {p}: folder {p.parent} does not exist; create it or choose another path")
    fmt = {".wav": "WAV", ".flac": "FLAC", ".ogg": "OGG"}.get(p.suffix.lower())
    if fmt is None:
        raise ParameterError(f"cannot write {p.suffix or 'files without a suffix'}; use .wav, .flac or .ogg")
    if fmt == "OGG":
        subtype = "VORBIS"
    try:
        sf.write(str(p), np.clip(y, -1.0, 1.0), int(sr), format=fmt, subtype=subtype)
    except (OSError, RuntimeError) as exc:
        raise AudioLoadError(f"cannot write {p}: {exc}; check that the folder is writable") from None
    return p


def to_wav_bytes(y: np.ndarray, *, sr: int) -> bytes:
    """Encode ``y`` as 16-bit WAV bytes (for audio players and downloads)."""
    import soundfile as sf

    y = valid_audio(y, sr=sr)
    buf = io.BytesIO()
    sf.write(buf, np.clip(y, -1.0, 1.0), int(sr), format="WAV", subtype="PCM_16")
    return buf.getvalue()
