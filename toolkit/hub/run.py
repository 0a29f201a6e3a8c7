"""Start the workshop hub in the foreground: check what it needs, write its config, run JupyterHub until Ctrl-C."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

from ..errors import ToolkitError
from .config import HubSettings, hub_config_text
from .python import ParticipantPythonError, others_can_run, participant_python

__all__ = ["HubError", "run_hub", "find_proxy", "prepare_state", "separation", "others_can_run", "MIN_PASSWORD_CHARS"]

REPO = Path(__file__).resolve().parents[2]
#: JupyterHub's SharedPasswordAuthenticator refuses shorter workshop passwords.
MIN_PASSWORD_CHARS = 8
#: Where ``make hub-deps`` installs configurable-http-proxy from npm: beside the virtual environment's Python.
NODE_PREFIX = Path(sys.prefix) / "node"


class HubError(ToolkitError):
    """The hub cannot start (the message says what to set or install)."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_proxy() -> str:
    """Path of ``configurable-http-proxy`` (from ``make hub-deps`` or on the PATH)."""
    local = NODE_PREFIX / "node_modules" / ".bin" / "configurable-http-proxy"
    found = str(local) if local.exists() else shutil.which("configurable-http-proxy")
    if not found:
        raise HubError("configurable-http-proxy (JupyterHub's proxy, from npm) is not installed: run `make hub-deps`")
    return found


def check_environment(env=os.environ) -> str:
    """The admin name to configure (``""`` for none); raises :class:`HubError` when a password is missing."""
    password = env.get("VOICE_LAB_HUB_PASSWORD", "")
    if len(password) < MIN_PASSWORD_CHARS:
        what = "is not set" if not password else f"has {len(password)} characters"
        raise HubError(f"VOICE_LAB_HUB_PASSWORD {what}: set the workshop password participants will type "
                       f"({MIN_PASSWORD_CHARS}+ characters), e.g. `export VOICE_LAB_HUB_PASSWORD='sing-along-42'`")
    admin = env.get("VOICE_LAB_HUB_ADMIN", "").strip().lower()
    if admin:
        admin_password = env.get("VOICE_LAB_HUB_ADMIN_PASSWORD", "")
        if len(admin_password) < MIN_PASSWORD_CHARS or admin_password == password:
            raise HubError(f"VOICE_LAB_HUB_ADMIN={admin} needs VOICE_LAB_HUB_ADMIN_PASSWORD, {MIN_PASSWORD_CHARS}+ "
                           "characters and not the workshop password (else every participant could log in as admin)")
    return admin


def separation(state_dir: Path, *, log=print) -> tuple:
    """``(python, "")`` when participants can run as system users of their own, else ``(None, why)``.

    ``python`` is the interpreter their servers run: the hub's own when every user can run it, else a copy
    built under ``/opt/voice-lab`` (:mod:`toolkit.hub.python`).
    """
    if os.geteuid() != 0:
        return None, "the hub is not running as root, so it cannot create users or switch to them"
    blocked = next((str(f) for f in reversed(Path(state_dir).resolve().parents) if not os.stat(f).st_mode & 0o001), "")
    if blocked:
        return None, (f"participants cannot enter {blocked}, above the state folder {state_dir}: choose a "
                      "--state-dir every user can reach (e.g. /srv/voice-lab-hub)")
    try:
        return participant_python(repo=REPO, log=log), ""
    except ParticipantPythonError as exc:
        return None, str(exc)


def prepare_state(state_dir: Path) -> dict:
    """Create the state folder: participants' server config, a readable copy of the Kokoro model; returns paths."""
    from ..ui.serve import server_config

    state_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(state_dir, 0o711)  # participants reach their own home inside, but cannot list the folder
    (state_dir / "home").mkdir(exist_ok=True)
    os.chmod(state_dir / "home", 0o711)
    conf = state_dir / "server-config"
    conf.mkdir(exist_ok=True)
    config = server_config()  # the app's Voila and upload settings, as in every other serving mode
    # the language-server extension scans the machine at every start and is no use in a workshop: off
    config["ServerApp"]["jpserver_extensions"] = {"jupyter_lsp": False}
    (conf / "jupyter_server_config.json").write_text(json.dumps(config, indent=1))
    models = None
    try:  # the assembled model lives in the host's home (often unreadable by others): share a copy
        from ..models import kokoro_model_path

        src = kokoro_model_path()
        models = state_dir / "models"
        models.mkdir(exist_ok=True)
        dst = models / src.name
        if not dst.exists() or dst.stat().st_size != src.stat().st_size:
            shutil.copy2(src, dst)
        for p in (models, conf):
            os.chmod(p, 0o755)
        os.chmod(dst, 0o644)
        os.chmod(conf / "jupyter_server_config.json", 0o644)
    except ToolkitError as exc:
        print(f"warning: {exc}; participants' clones will fail until it is fixed", file=sys.stderr)
    voices = None
    try:
        from ..clone import cache_dir

        voices = cache_dir() if cache_dir().is_dir() else None
    except ImportError:
        pass
    return {"server_config_dir": conf, "models_dir": models, "voices_dir": voices}


def run_hub(*, port: int = 8000, ip: str = "127.0.0.1", state_dir="voice-lab-hub", idle_timeout_s: int = 3600,
            max_servers: int = 40) -> int:
    """Run JupyterHub for a workshop in the foreground; returns its exit status (0 after Ctrl-C).

    Raises
    ------
    HubError
        If ``VOICE_LAB_HUB_PASSWORD`` is missing or too short, or configurable-http-proxy is not installed.
    """
    admin = check_environment()
    proxy = find_proxy()
    state = Path(state_dir).resolve()
    paths = prepare_state(state)
    python, why = separation(state)
    separate = python is not None
    settings = HubSettings(ip=ip, port=int(port), state_dir=state, hub_port=_free_port(), proxy_api_port=_free_port(),
                           proxy_command=proxy, repo_dir=REPO, template_root=REPO / "toolkit" / "ui", admin=admin,
                           idle_timeout_s=int(idle_timeout_s), max_servers=int(max_servers), separate_users=separate,
                           participant_python=str(python or sys.executable), **paths)
    config = state / "jupyterhub_config.py"
    config.write_text(hub_config_text(settings))
    if not separate:
        print(f"warning: {why}; every participant's server runs as you, so participants are NOT separated on disk "
              "(the hub still keeps each one out of the others' servers; see docs/hosting.md)", file=sys.stderr)
    print(f"Voice Cloning Lab hub on http://{ip}:{port}/ (state in {state}; Ctrl+C to stop)", file=sys.stderr)
    proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)], cwd=state)

    def _on_term(signum, frame):  # `kill` or a service manager: stop as cleanly as on Ctrl-C
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, _on_term)
    try:
        return proc.wait()
    except KeyboardInterrupt:  # a terminal's Ctrl-C reaches JupyterHub too; a lone SIGINT/SIGTERM is forwarded
        try:
            proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if proc.poll() is None:
            proc.kill()
        print(f"hub stopped; its state is in {state} (delete the folder to start afresh)", file=sys.stderr)
