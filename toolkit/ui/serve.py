"""Serve the Voila app: the one place that knows how (used by ``make app``, the tests and Binder).

The app is served with the lab's own Voila template (``toolkit/ui/voila/templates/vcl``),
which drops the template's CDN links so nothing is fetched from the internet.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .._resources import app_notebook, voila_template_root
from ..defaults import MAX_UPLOAD_BYTES

__all__ = ["REPO", "APP_NOTEBOOK", "IOPUB_TIMEOUT_S", "WEBSOCKET_MAX_MESSAGE_BYTES", "TORNADO_SETTINGS", "VOILA_SETTINGS",
           "server_config", "voila_command"]

REPO = Path(__file__).resolve().parents[2]
APP_NOTEBOOK = app_notebook()  # the checkout's notebooks/app.ipynb, or the copy inside an installed package
_TEMPLATE_ROOT = voila_template_root()  # holds voila/templates/vcl
#: How long Voila waits for a cell's outputs after the kernel has answered (s). Its default of 4 s is too short when
#: many visitors arrive at once: 8 kernels starting together on 2 cores sent the app's widgets later than that, Voila
#: rendered the page without them, and 7 of 8 visitors saw an empty page (benchmarks/load_test.py, 2026-11-29).
IOPUB_TIMEOUT_S = 60
#: Voila settings of the app, the one place they are written: as command-line flags by :func:`voila_command`
#: (``make app``, tests, benchmarks) and as ``jupyter_server_config.json`` by ``binder/postBuild``.
#: Largest websocket message the server takes from a page (bytes). An upload reaches the kernel as ONE message
#: (ipywidgets sends the file's bytes as a binary buffer), and Tornado's default of 10 MiB silently dropped the page's
#: kernel connection for a 35 MB WAV: the upload vanished and nothing after it was checked (../shared/MEASURED.md).
#: So the transport takes the recorder's own cap plus room for the message around it; larger files are refused in
#: the browser before they are sent (the vcl template) and, should one still arrive, in the kernel with a message.
WEBSOCKET_MAX_MESSAGE_BYTES = MAX_UPLOAD_BYTES + 8 * 2**20
#: Tornado settings of every server that carries the app's kernels (Voila alone, Jupyter server on Binder and the hub).
#: ``compress_response``: gzip for every browser that accepts it. The front end is 5.5 MB of JavaScript and CSS per
#: visitor, about 1.6 MB compressed (level 6, about 0.15 s of one core per visitor), which matters on a workshop's
#: Wi-Fi and a visitor's phone. Jupyter server (Binder, the hub's servers) takes it from here; Voila alone applies
#: its ``tornado_settings`` too late for it, so :mod:`toolkit.ui.voila_app` adds the same transform there.
TORNADO_SETTINGS = {"websocket_max_message_size": WEBSOCKET_MAX_MESSAGE_BYTES, "compress_response": True}
#: Folder of ``voila.py``, the config file :func:`voila_command` points Voila at (it reads the settings below).
VOILA_CONFIG_DIR = Path(__file__).resolve().parent / "voila" / "config"
#: With preheated kernels, how long Voila waits after handing one out before it starts a replacement (s; Voila's
#: default is 1 s). Starting a replacement runs the whole app notebook in a new kernel: with 4 visitors arriving at
#: once on 2 cores, 4 replacements started 1 s later took the CPU from the pages being served, and the preheated
#: visitors waited 19 s for their widgets (benchmarks/load_test.py --visitors 4 --preheat 4, 2026-12-02).
PREHEAT_REFILL_DELAY_S = 60
VOILA_SETTINGS = {"VoilaConfiguration": {"template": "vcl", "show_tracebacks": False},
                  "VoilaExecutor": {"iopub_timeout": IOPUB_TIMEOUT_S}}


def server_config() -> dict:
    """The app's settings as a Jupyter server config (``jupyter_server_config.json``: Binder, the hub's servers).

    Under Jupyter server, Voila runs as an extension and the kernels' websockets belong to the server, so the
    transport limit is ``ServerApp.tornado_settings``.

    Examples
    --------
    >>> server_config()["ServerApp"]["tornado_settings"]["websocket_max_message_size"] > MAX_UPLOAD_BYTES
    True
    """
    return {**VOILA_SETTINGS, "ServerApp": {"tornado_settings": dict(TORNADO_SETTINGS)}}


def voila_command(*, port: int = 8866, notebook=APP_NOTEBOOK, ip: str = "127.0.0.1", preheat: int = 0,
                  max_visitors: int | None = None, idle_timeout_s: int = 0):
    """The argv and environment that serve ``notebook`` with Voila on ``ip:port``.

    Parameters
    ----------
    preheat : int
        Number of kernels to start ahead of visitors (Voila's preheated kernels; 0 = off).
    max_visitors : int, optional
        Most visitors' kernels at once, the rest see "the lab is full" (0 = no limit; ``None``: no visitor limits
        at all, not even per-visitor session folders). See :mod:`toolkit.ui.limits`.
    idle_timeout_s : int
        With ``max_visitors`` set: shut down a visitor's kernel after this many seconds without activity (0 = never).
    """
    # Voila's own application, with compressed responses (toolkit.ui.voila_app); same arguments as `voila`
    argv = [sys.executable, "-m", "toolkit.ui.voila_app", str(notebook), f"--port={port}", f"--Voila.ip={ip}", "--no-browser"]
    argv += [f"--{cls}.{key}={value}" for cls, opts in VOILA_SETTINGS.items() for key, value in opts.items()]
    # settings that are dicts cannot be flags (traitlets would pass their values as strings): a config file sets them
    argv += [f"--Voila.config_file_paths={VOILA_CONFIG_DIR}"]
    if preheat:
        argv += ["--preheat_kernel=True", f"--pool_size={preheat}",
                 f"--VoilaKernelManager.fill_delay={PREHEAT_REFILL_DELAY_S}"]
    if max_visitors is not None:
        from .limits import voila_flags

        argv += voila_flags(max_visitors=max_visitors, idle_timeout_s=idle_timeout_s, prelaunch=not preheat)
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(_TEMPLATE_ROOT), env.get("JUPYTER_PATH", "")) if p)
    env.setdefault("PYTHONWARNINGS", "ignore")
    return argv, env


def serve(*, port: int = 8866, ip: str = "127.0.0.1", preheat: int = 0, max_visitors: int | None = None,
          idle_timeout_s: int | None = None) -> None:
    """Replace this process with Voila serving the app (``preheat`` kernels kept ready, see :func:`voila_command`).

    ``max_visitors`` and ``idle_timeout_s`` default to what fits the machine
    (:func:`toolkit.ui.limits.default_max_visitors`, :data:`toolkit.ui.limits.DEFAULT_IDLE_TIMEOUT_S`).
    """
    from .limits import DEFAULT_IDLE_TIMEOUT_S, default_max_visitors

    max_visitors = default_max_visitors() if max_visitors is None else max_visitors
    idle_timeout_s = DEFAULT_IDLE_TIMEOUT_S if idle_timeout_s is None else idle_timeout_s
    argv, env = voila_command(port=port, ip=ip, preheat=preheat, max_visitors=max_visitors,
                              idle_timeout_s=idle_timeout_s)
    print(f"Serving Voice Cloning Lab on http://{ip}:{port}/  (Ctrl+C to stop); at most "
          f"{max_visitors or 'unlimited'} visitors at once, idle sessions end after "
          f"{f'{idle_timeout_s} s' if idle_timeout_s else 'never'}", file=sys.stderr)
    os.execve(argv[0], argv, env)
