"""The JupyterHub configuration the lab generates: every setting of a workshop hub, written in one place.

:func:`hub_config_text` returns the text of ``jupyterhub_config.py``; passwords are not written into it (the
file reads them from the environment when the hub starts), so the state folder holds no secret but the
cookie secret.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["HubSettings", "hub_config_text", "USERNAME_PATTERN", "APP_URL"]

#: Names participants may pick: lower case letters, digits, ``-`` and ``_``, starting with a letter, at most
#: 20 characters (the system user is ``vl-<name>``, and system user names stop at 32).
USERNAME_PATTERN = r"^[a-z][a-z0-9_-]{0,19}$"
#: Where a participant's server opens: the app, rendered by Voila from their own copy of the notebooks.
APP_URL = "/voila/render/notebooks/app.ipynb"


@dataclass(frozen=True)
class HubSettings:
    """What a host chooses (``voice-lab hub`` options) and where things are."""

    ip: str
    port: int
    state_dir: Path
    hub_port: int
    proxy_api_port: int
    proxy_command: str
    repo_dir: Path
    template_root: Path
    server_config_dir: Path
    models_dir: Path | None
    voices_dir: Path | None
    admin: str = ""
    idle_timeout_s: int = 3600
    max_servers: int = 40
    spawn_timeout_s: int = 600  # thirty servers starting at once on a few cores take minutes
    separate_users: bool = True
    participant_python: str = sys.executable  # the interpreter participants' servers run (toolkit/hub/python.py)


def hub_config_text(s: HubSettings) -> str:
    """The ``jupyterhub_config.py`` of a workshop hub with settings ``s``."""
    state = s.state_dir
    culler = [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={int(s.idle_timeout_s)}",
              f"--cull-every={max(30, min(300, int(s.idle_timeout_s) // 4))}"]
    j = json.dumps
    lines = [
        "# Written by `voice-lab hub` (toolkit/hub/config.py) at every start: edit the command's options instead.",
        "import os, sys",
        f"sys.path.insert(0, {j(str(s.repo_dir))})",
        "",
        "# where it listens; its own API ports are internal (127.0.0.1)",
        f"c.JupyterHub.bind_url = {j(f'http://{s.ip}:{s.port}')}",
        f"c.JupyterHub.hub_bind_url = {j(f'http://127.0.0.1:{s.hub_port}')}",
        f"c.ConfigurableHTTPProxy.api_url = {j(f'http://127.0.0.1:{s.proxy_api_port}')}",
        f"c.ConfigurableHTTPProxy.command = [{j(s.proxy_command)}]",
        f"c.ConfigurableHTTPProxy.pid_file = {j(str(state / 'proxy.pid'))}",
        "# all state in one folder",
        f"c.JupyterHub.db_url = {j('sqlite:///' + str(state / 'jupyterhub.sqlite'))}",
        f"c.JupyterHub.cookie_secret_file = {j(str(state / 'jupyterhub_cookie_secret'))}",
        f"c.JupyterHub.pid_file = {j(str(state / 'jupyterhub.pid'))}",
        "c.JupyterHub.cleanup_servers = True  # Ctrl-C stops every participant's server too",
        "",
        "# workshop login: any name of the allowed form + the workshop password (read from the environment)",
        "c.JupyterHub.authenticator_class = 'shared-password'",
        "c.SharedPasswordAuthenticator.user_password = os.environ['VOICE_LAB_HUB_PASSWORD']",
        "c.Authenticator.allow_all = True",
        f"c.Authenticator.username_pattern = {j(USERNAME_PATTERN)}",
    ]
    if s.admin:
        lines += [f"c.Authenticator.admin_users = {{{j(s.admin)}}}",
                  "c.SharedPasswordAuthenticator.admin_password = os.environ['VOICE_LAB_HUB_ADMIN_PASSWORD']"]
    lines += [
        "",
        "# one server per participant, as a system user of their own, opening on the app",
        "c.JupyterHub.spawner_class = 'toolkit.hub.spawner.WorkshopSpawner'",
        f"c.WorkshopSpawner.state_dir = {j(str(state))}",
        f"c.WorkshopSpawner.repo_dir = {j(str(s.repo_dir))}",
        f"c.WorkshopSpawner.template_root = {j(str(s.template_root))}",
        f"c.WorkshopSpawner.server_config_dir = {j(str(s.server_config_dir))}",
        f"c.WorkshopSpawner.models_dir = {j(str(s.models_dir or ''))}",
        f"c.WorkshopSpawner.voices_dir = {j(str(s.voices_dir or ''))}",
        f"c.WorkshopSpawner.separate_users = {bool(s.separate_users)!r}",
        "# an interpreter every participant can run (a copy of the host's when theirs is closed to other users)",
        f"c.Spawner.cmd = [{j(s.participant_python)}, '-m', 'jupyterhub.singleuser']",
        # without separate users a root host runs the servers as root: Jupyter server wants to be told
        f"c.Spawner.args = {['--allow-root'] if (not s.separate_users and os.geteuid() == 0) else []!r}",
        f"c.Spawner.default_url = {j(APP_URL)}",
        f"c.Spawner.start_timeout = {int(s.spawn_timeout_s)}",
        f"c.Spawner.http_timeout = {int(s.spawn_timeout_s)}",
        "c.Spawner.env_keep = ['PATH', 'PYTHONPATH', 'VIRTUAL_ENV', 'LANG', 'LC_ALL', 'LD_LIBRARY_PATH']",
        "",
        "# a room's limits: concurrent servers, spawns at once, idle servers stopped",
        f"c.JupyterHub.active_server_limit = {int(s.max_servers)}",
        "c.JupyterHub.concurrent_spawn_limit = 8",
        f"c.JupyterHub.services = [{{'name': 'idle-culler', 'command': {j(culler)}}}]",
        "c.JupyterHub.load_roles = [{'name': 'idle-culler', 'services': ['idle-culler'],",
        "                            'scopes': ['list:users', 'read:users:activity', 'read:servers', 'delete:servers']}]",
        "",
    ]
    return "\n".join(lines)
