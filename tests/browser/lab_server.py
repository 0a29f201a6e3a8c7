"""Start JupyterLab on a copy of the notebooks (as ``make lab`` does) on a free localhost port, and stop it after."""

from __future__ import annotations

import os
import secrets
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path

from tests.browser.voila_server import REPO, free_port, serving


@contextmanager
def jupyterlab(workdir: Path, *, timeout_s: float = 120.0, log_path=None, env=None):
    """Serve a copy of ``notebooks/`` (so running them never rewrites the checkout's files) with JupyterLab.

    Yields ``(base_url, token)``. The kernels import the toolkit of this checkout (``PYTHONPATH``). The app object is
    exposed in the browser (``window.jupyterapp``) so that a test can run JupyterLab's own commands.
    """
    nb_dir = workdir / "notebooks"
    shutil.copytree(REPO / "notebooks", nb_dir, ignore=shutil.ignore_patterns("build", ".ipynb_checkpoints"))
    port, token = free_port(), secrets.token_hex(16)
    jupyter = Path(sys.executable).with_name("jupyter")
    argv = [str(jupyter), "lab", f"--notebook-dir={nb_dir}", "--ip=127.0.0.1", "--no-browser", f"--port={port}",
            f"--IdentityProvider.token={token}", "--LabApp.expose_app_in_browser=True",
            "--ServerApp.open_browser=False", "--allow-root", "--LabApp.news_url=", "--LabApp.check_for_updates_class="
            "jupyterlab.NeverCheckForUpdate"]
    run_env = {**os.environ, **(env or {})}
    run_env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), run_env.get("PYTHONPATH", "")) if p)
    run_env["JUPYTER_CONFIG_DIR"] = str(workdir / "config")  # no user settings leak in
    settings = workdir / "lab-settings"
    (settings / "@jupyterlab" / "apputils-extension").mkdir(parents=True)
    # no "would you like news?" pop-up over the notebook (and no request for news)
    (settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}')
    run_env["JUPYTERLAB_SETTINGS_DIR"] = str(settings)
    run_env.setdefault("PYTHONWARNINGS", "ignore")
    url = f"http://127.0.0.1:{port}/"
    with serving(argv, url=f"{url}api/status?token={token}", name="jupyter lab", cwd=nb_dir, env=run_env,
                 log_path=log_path, timeout_s=timeout_s):
        yield url, token
