"""The workshop's spawner: each participant's Jupyter server runs as a local system user of their own.

:class:`WorkshopSpawner` is JupyterHub's ``LocalProcessSpawner`` with three changes:

* the system user is ``vl-<name>``, never the hub name itself (a participant calling themselves ``root``
  gets ``vl-root``), created on first login with its home under the hub's state folder (mode 0700: the
  other participants cannot list or read it, so recordings stay private);
* the home is seeded once with a writable copy of ``notebooks/`` and of the host's fitted example voices
  (so an example clones at once instead of being fitted again for every participant);
* the server's environment points at the lab's Voila template, its server config (websocket limit for
  uploads, Voila settings) and a readable copy of the Kokoro model.

The server runs the interpreter in ``Spawner.cmd``: the hub's own when every user can run it, else the copy
:mod:`toolkit.hub.python` builds under ``/opt/voice-lab`` (e.g. when the host's Python is pyenv's under /root).
Run by a non-root host, servers run as the host's own user: participants are then not separated on disk (the
hub says so at start).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner
from traitlets import Bool, Unicode

__all__ = ["WorkshopSpawner", "SYSTEM_PREFIX", "system_name"]

#: Prefix of the system users the hub creates for participants.
SYSTEM_PREFIX = "vl-"


def system_name(hub_name: str) -> str:
    """The local system user a participant's server runs as.

    Examples
    --------
    >>> system_name("root")
    'vl-root'
    """
    return SYSTEM_PREFIX + hub_name


class WorkshopSpawner(LocalProcessSpawner):
    """``LocalProcessSpawner`` with one system user per participant (see the module docstring)."""

    state_dir = Unicode("", config=True, help="The hub's state folder (homes live in its home/ folder).")
    repo_dir = Unicode("", config=True, help="The lab's checkout (notebooks/ is copied from here).")
    voices_dir = Unicode("", config=True, help="The host's fitted voices, copied into each new home.")
    template_root = Unicode("", config=True, help="Folder holding voila/templates/vcl (added to JUPYTER_PATH).")
    server_config_dir = Unicode("", config=True, help="Folder of the servers' jupyter_server_config.json.")
    models_dir = Unicode("", config=True, help="Folder of a copy of the Kokoro model the participants can read.")
    separate_users = Bool(True, config=True, help="Run each server as its own system user (needs root, and a Python "
                                                 "every user can run); off: as the hub's user.")

    @property
    def home(self) -> Path:
        return Path(self.state_dir) / "home" / system_name(self.user.name)

    # --- the system user ----------------------------------------------------------------------------
    def _ensure_user(self):
        home = self.home
        home.parent.mkdir(parents=True, exist_ok=True)
        if self.separate_users:
            try:
                pwd.getpwnam(system_name(self.user.name))
            except KeyError:
                subprocess.run(["useradd", "--no-create-home", "--home-dir", str(home), "--shell", "/usr/sbin/nologin",
                                "--user-group", "--comment", f"Voice Cloning Lab participant {self.user.name}",
                                system_name(self.user.name)], check=True, capture_output=True)
        fresh = not home.exists()
        home.mkdir(mode=0o700, exist_ok=True)
        if fresh:
            self._seed(home)
        if self.separate_users:
            pw = pwd.getpwnam(system_name(self.user.name))
            for root, dirs, files in os.walk(home):
                for n in (root, *(os.path.join(root, d) for d in dirs), *(os.path.join(root, f) for f in files)):
                    os.lchown(n, pw.pw_uid, pw.pw_gid)
            os.chmod(home, 0o700)

    def _seed(self, home: Path):
        notebooks = Path(self.repo_dir) / "notebooks"
        if notebooks.is_dir():
            shutil.copytree(notebooks, home / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        voices = Path(self.voices_dir) if self.voices_dir else None
        if voices and voices.is_dir():
            shutil.copytree(voices, home / ".cache" / "voice_cloning_lab" / "voices")

    # --- LocalProcessSpawner's hooks ------------------------------------------------------------------
    def make_preexec_fn(self, name):
        if not self.separate_users:
            home = str(self.home)
            return lambda: os.chdir(home)
        return super().make_preexec_fn(system_name(name))

    def user_env(self, env):
        home = str(self.home)
        if self.separate_users:
            pw = pwd.getpwnam(system_name(self.user.name))
            env.update(USER=pw.pw_name, HOME=home, SHELL="/bin/bash")
        else:
            env.update(HOME=home)
        return env

    def get_env(self):
        env = super().get_env()
        home = str(self.home)
        env["VOICE_LAB_CACHE"] = os.path.join(home, ".cache", "voice_cloning_lab")
        env["MPLCONFIGDIR"] = os.path.join(home, ".cache", "matplotlib")
        env["JUPYTER_PATH"] = self.template_root
        env["JUPYTER_CONFIG_PATH"] = self.server_config_dir
        env["PYTHONWARNINGS"] = "ignore"
        if self.models_dir:
            env["KOKORO_JA_CACHE"] = self.models_dir
        # the lab the hub serves, whatever the environment's own install of it points at
        env["PYTHONPATH"] = os.pathsep.join(p for p in (self.repo_dir, env.get("PYTHONPATH", "")) if p)
        python_bin = os.path.dirname(self.cmd[0]) if self.cmd else ""
        if self.separate_users and python_bin:  # a terminal's `python` is the one participants can run
            env["PATH"] = os.pathsep.join((python_bin, "/usr/local/bin", "/usr/bin", "/bin"))
            env["VIRTUAL_ENV"] = os.path.dirname(python_bin)
        return env

    async def start(self):
        self._ensure_user()
        self.notebook_dir = str(self.home)
        return await super().start()
