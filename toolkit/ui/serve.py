"""Serve the Voila app: the one place that knows how (used by ``make app``, the tests and Binder).

The app is served with the lab's own Voila template (``toolkit/ui/voila/templates/vcl``),
which drops the template's CDN links so nothing is fetched from the internet.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .._resources import app_notebook, voila_template_root

__all__ = ["REPO", "APP_NOTEBOOK", "IOPUB_TIMEOUT_S", "VOILA_SETTINGS", "voila_command"]

REPO = Path(__file__).resolve().parents[2]
APP_NOTEBOOK = app_notebook()  # the checkout's notebooks/app.ipynb, or the copy inside an installed package
_TEMPLATE_ROOT = voila_template_root()  # holds voila/templates/vcl
#: How long Voila waits for a cell's outputs after the kernel has answered (s). Its default of 4 s is too short when
#: many visitors arrive at once: 8 kernels starting together on 2 cores sent the app's widgets later than that, Voila
#: rendered the page without them, and 7 of 8 visitors saw an empty page (benchmarks/load_test.py, 2026-11-29).
IOPUB_TIMEOUT_S = 60
#: Voila settings of the app, the one place they are written: as command-line flags by :func:`voila_command`
#: (``make app``, tests, benchmarks) and as ``jupyter_server_config.json`` by ``binder/postBuild``.
VOILA_SETTINGS = {"VoilaConfiguration": {"template": "vcl", "show_tracebacks": False},
                  "VoilaExecutor": {"iopub_timeout": IOPUB_TIMEOUT_S}}


def voila_command(*, port: int = 8866, notebook=APP_NOTEBOOK, ip: str = "127.0.0.1", preheat: int = 0):
    """The argv and environment that serve ``notebook`` with Voila on ``ip:port``.

    Parameters
    ----------
    preheat : int
        Number of kernels to start ahead of visitors (Voila's preheated kernels; 0 = off).
    """
    voila_bin = Path(sys.executable).with_name("voila")
    argv = [str(voila_bin), str(notebook), f"--port={port}", f"--Voila.ip={ip}", "--no-browser"]
    argv += [f"--{cls}.{key}={value}" for cls, opts in VOILA_SETTINGS.items() for key, value in opts.items()]
    if preheat:
        argv += ["--preheat_kernel=True", f"--pool_size={preheat}"]
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(_TEMPLATE_ROOT), env.get("JUPYTER_PATH", "")) if p)
    env.setdefault("PYTHONWARNINGS", "ignore")
    return argv, env


def serve(*, port: int = 8866, ip: str = "127.0.0.1", preheat: int = 0) -> None:
    """Replace this process with Voila serving the app (``preheat`` kernels kept ready, see :func:`voila_command`)."""
    argv, env = voila_command(port=port, ip=ip, preheat=preheat)
    print(f"Serving Voice Cloning Lab on http://{ip}:{port}/  (Ctrl+C to stop)", file=sys.stderr)
    os.execve(argv[0], argv, env)
