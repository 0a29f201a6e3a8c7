"""Limits of the public demo site: how many visitors at once, how long an idle one keeps a kernel, where they write.

Everything here rides on Voila's and Jupyter Server's own machinery; there is no proxy of our own:

* **How many at once.** Voila starts kernels through the class named by ``VoilaConfiguration.multi_kernel_manager_class``.
  :class:`VisitorLimitKernelManager` is Jupyter Server's ``AsyncMappingKernelManager`` with one check at the start of
  :meth:`~VisitorLimitKernelManager.start_kernel`: when ``max_kernels`` kernels are running or starting it raises
  :class:`LabFull` (HTTP 503) instead of starting one. Voila's page handler lets that error through to Jupyter Server's
  error pages, which render ``503.html`` from the lab's template (``toolkit/ui/voila/templates/vcl/503.html``): a
  friendly page that retries by itself. Voila's preheated kernels go through the same method, so they count too.
* **Idle visitors.** Jupyter Server's own culler (``MappingKernelManager.cull_idle_timeout``, ``cull_interval``,
  ``cull_connected``) shuts down a kernel that has had no activity for the timeout, even with the page still open;
  a kernel busy with a clone is never culled (``cull_busy`` stays off), nor one whose page has not connected yet
  until :data:`CONNECT_GRACE_S` more seconds have passed. The app page's template notices that its
  kernel is gone and says so (see ``index.html.j2``).
* **Where a visitor writes.** Each kernel runs in a folder of its own under a per-server folder in the system's
  temporary directory: it is the kernel's working directory and ``TMPDIR``, and holds its fitted-voice cache
  (``VOICE_LAB_CACHE``, seeded with copies of the voices the host fitted beforehand, e.g. by
  ``toolkit prepare --fit-examples``). The folder is deleted when the kernel ends, however it ends.

:func:`voila_flags` turns the two numbers a host chooses into those settings; ``toolkit/ui/serve.py`` adds them to
Voila's command line. The host's guide is ``docs/public-site.md``.
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
import uuid
from pathlib import Path

from tornado.web import HTTPError

__all__ = ["KERNEL_BUDGET_MB", "MEMORY_SHARE", "DEFAULT_IDLE_TIMEOUT_S", "RETRY_S", "LabFull",
           "VisitorLimitKernelManager", "default_max_visitors", "cull_interval_s", "voila_flags", "prelaunch_hook"]

#: Memory to budget for one visitor's kernel (MB): the load test measured 0.8 GB PSS and 1.0 GB RSS per kernel with
#: its models loaded (``docs/hosting.md``, ``benchmarks/load_test.py``, 2026-11-29); RSS is the safe side.
KERNEL_BUDGET_MB = 1000
#: Share of the memory available when the server starts that visitors' kernels may use by default (the rest is
#: for the server, the operating system and the page cache).
MEMORY_SHARE = 0.8
#: Seconds without activity after which a visitor's kernel is shut down, by default (mybinder.org culls idle
#: servers after 10 minutes; a quarter of an hour leaves time to read the page and listen).
DEFAULT_IDLE_TIMEOUT_S = 900
#: Seconds after which the "lab is full" page tries again.
RETRY_S = 30
#: Extra seconds a kernel whose page has never connected is spared by the idle culler: on a slow machine or line the
#: page can take longer than a short idle timeout to load and connect after its notebook has run.
CONNECT_GRACE_S = 60
#: Folder of the Voila configuration file (``voila.py``) that installs :func:`prelaunch_hook`.
CONFIG_DIR = Path(__file__).resolve().parent / "voila" / "public"  # its voila.py sets the prelaunch hook


class LabFull(HTTPError):
    """Every place is taken: HTTP 503, rendered by the template's ``503.html``, which retries after ``retry_s``."""

    def __init__(self, *, in_use: int, max_kernels: int, retry_s: int = RETRY_S):
        super().__init__(503, "the lab is full (%d of %d places in use)", in_use, max_kernels, reason="Lab full")
        self.in_use, self.max_kernels, self.retry_s = in_use, max_kernels, retry_s


def default_max_visitors(*, available_mb: float | None = None, kernel_mb: float = KERNEL_BUDGET_MB,
                         share: float = MEMORY_SHARE) -> int:
    """How many visitors' kernels fit in ``share`` of the memory available now (at least 1).

    Examples
    --------
    >>> default_max_visitors(available_mb=22_000)
    17
    >>> default_max_visitors(available_mb=500)
    1
    """
    if available_mb is None:
        import psutil

        available_mb = psutil.virtual_memory().available / 1e6
    return max(1, int(math.floor(available_mb * share / kernel_mb)))


def cull_interval_s(idle_timeout_s: int) -> int:
    """How often the culler looks for idle kernels (s): a quarter of the timeout, between 5 s and 60 s.

    A kernel is shut down between ``idle_timeout_s`` and ``idle_timeout_s + cull_interval_s(idle_timeout_s)``
    seconds after its last activity.

    Examples
    --------
    >>> cull_interval_s(20), cull_interval_s(900)
    (5, 60)
    """
    return int(min(60, max(5, idle_timeout_s // 4)))


def prelaunch_hook(handler, notebook=None, cwd=None):
    """Voila's prelaunch hook (run before each visitor's kernel starts): give the page its XSRF cookie.

    Voila's page asks the server to shut its kernel down when the tab closes (a ``sendBeacon`` POST to
    ``/voila/api/shutdown/<id>`` carrying the ``_xsrf`` cookie's value), but Voila 0.5's page handler never sets
    that cookie, so the request is refused (403, voila-dashboards/voila#1458) and a closed tab kept its kernel
    until the idle culler came. Reading ``handler.xsrf_token`` makes tornado set the cookie on this response.
    Returns ``None``: the notebook is used as it is.
    """
    handler.xsrf_token  # noqa: B018 - the property sets the cookie
    return None


def voila_flags(*, max_visitors: int, idle_timeout_s: int, retry_s: int = RETRY_S, prelaunch: bool = True) -> list[str]:
    """Voila command-line settings for at most ``max_visitors`` kernels, culled after ``idle_timeout_s`` idle.

    ``max_visitors=0`` means no limit and ``idle_timeout_s=0`` no culling; each visitor still gets a session folder.
    ``prelaunch`` installs :func:`prelaunch_hook` (so a closed tab frees its place at once); Voila refuses a
    prelaunch hook together with preheated kernels, so :func:`toolkit.ui.serve.voila_command` turns it off then.

    Examples
    --------
    >>> flags = voila_flags(max_visitors=2, idle_timeout_s=20)
    >>> "--VisitorLimitKernelManager.max_kernels=2" in flags, "--MappingKernelManager.cull_idle_timeout=20" in flags
    (True, True)
    """
    from ..errors import ParameterError

    if max_visitors < 0:
        raise ParameterError(f"--max-visitors must be 0 (no limit) or more, got {max_visitors}")
    if idle_timeout_s < 0:
        raise ParameterError(f"--idle-timeout must be 0 (never) or more seconds, got {idle_timeout_s}")
    if 0 < idle_timeout_s < 10:
        raise ParameterError(f"--idle-timeout {idle_timeout_s} s is too short for a page to load; use 10 s or more")
    flags = [f"--VoilaConfiguration.multi_kernel_manager_class={__name__}.VisitorLimitKernelManager",
             f"--VisitorLimitKernelManager.max_kernels={max_visitors}",
             f"--VisitorLimitKernelManager.retry_s={retry_s}",
             # a visitor may not swap the lab's template (whose CDN-free page and messages this relies on)
             "--VoilaConfiguration.allow_template_override=NO", "--VoilaConfiguration.allow_theme_override=NO",
             # what the page template says (resources reach it as strings: vcl_public, vcl_idle_timeout_s)
             "--VoilaConfiguration.resources=vcl_public=1",
             f"--VoilaConfiguration.resources=vcl_idle_timeout_s={idle_timeout_s}"]
    if prelaunch:  # Voila reads voila.py from these folders: ours first, then its defaults (working dir, Jupyter's)
        from jupyter_core.paths import jupyter_config_path

        flags += [f"--Voila.config_file_paths={p}" for p in (CONFIG_DIR, os.getcwd(), *jupyter_config_path())]
    if idle_timeout_s:
        flags += [f"--MappingKernelManager.cull_idle_timeout={idle_timeout_s}",
                  f"--MappingKernelManager.cull_interval={cull_interval_s(idle_timeout_s)}",
                  "--MappingKernelManager.cull_connected=True"]
    return flags


def _seed_voices(src: Path, dst: Path) -> int:
    """Copy the host's fitted voices (``*.npz`` in ``src``) into a session's cache ``dst``; returns how many."""
    dst.mkdir(parents=True, exist_ok=True)
    n = 0
    if src.is_dir():
        for f in src.glob("*.npz"):
            shutil.copy2(f, dst / f.name)
            n += 1
    return n


def _manager_class():
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from traitlets import Integer, Unicode

    class VisitorLimitKernelManager(AsyncMappingKernelManager):
        """Jupyter Server's kernel manager with a cap on kernels and a folder per kernel, removed with it.

        Configured with ``--VisitorLimitKernelManager.max_kernels=N`` (0: no cap); see the module docstring.
        """

        max_kernels = Integer(0, config=True, help="Most kernels running or starting at once (0: no limit).")
        retry_s = Integer(RETRY_S, config=True, help="Seconds after which the 'lab is full' page retries.")
        session_root = Unicode("", config=True,
                               help="Folder that holds one folder per kernel (default: a new one in the system's "
                                    "temporary directory, removed when the server stops).")

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            from ..clone import cache_dir

            self._host_voices = cache_dir()  # the host's fitted voices, read before any session changes the env
            self._starting = set()
            self._folders = {}
            self._connected = set()  # kernels whose page has connected at least once
            self._own_root = not self.session_root
            if self._own_root:
                self.session_root = tempfile.mkdtemp(prefix="voice-lab-sessions-")
            self.log.info("Voice Cloning Lab: at most %s visitors at once; session folders in %s",
                          self.max_kernels or "unlimited", self.session_root)

        def places_in_use(self, *, but=None) -> int:
            """Kernels running, starting or being shut down (``but`` one that is ending)."""
            return len((set(self._kernels) | set(self._pending_kernels) | self._starting) - {but})

        async def start_kernel(self, *, kernel_id=None, path=None, **kwargs):
            if kernel_id is not None and kernel_id in self:
                return await super().start_kernel(kernel_id=kernel_id, path=path, **kwargs)
            in_use = self.places_in_use()
            if self.max_kernels and in_use >= self.max_kernels:  # checked and reserved with no await in between
                self.log.warning("Lab full: turned a visitor away (%d of %d places in use)", in_use, self.max_kernels)
                raise LabFull(in_use=in_use, max_kernels=self.max_kernels, retry_s=self.retry_s)
            kernel_id = kernel_id or str(uuid.uuid4())
            self._starting.add(kernel_id)
            try:
                folder = Path(self.session_root) / kernel_id
                (folder / "tmp").mkdir(parents=True)
                self._folders[kernel_id] = folder
                seeded = _seed_voices(self._host_voices, folder / "cache" / "voices")
                env = dict(kwargs.pop("env", None) or os.environ)
                env.update(TMPDIR=str(folder / "tmp"), VOICE_LAB_CACHE=str(folder / "cache"))
                kwargs.update(env=env, cwd=str(folder))
                kernel_id = await super().start_kernel(kernel_id=kernel_id, **kwargs)
            except BaseException:
                self._remove_folder(kernel_id)
                raise
            finally:
                self._starting.discard(kernel_id)
            self.log.info("Visitor kernel %s started in its session folder (fitted voices copied in: %d); "
                          "%d of %s places in use", kernel_id, seeded, self.places_in_use(),
                          self.max_kernels or "unlimited")
            return kernel_id

        def notify_connect(self, kernel_id):
            super().notify_connect(kernel_id)
            self._connected.add(kernel_id)

        async def cull_kernel_if_idle(self, kernel_id):
            # a page that has not connected yet is still loading (or was never opened by a browser): wait a little
            kernel = self._kernels.get(kernel_id)
            if kernel_id not in self._connected and kernel is not None and hasattr(kernel, "last_activity"):
                from jupyter_server._tz import utcnow

                if (utcnow() - kernel.last_activity).total_seconds() < self.cull_idle_timeout + CONNECT_GRACE_S:
                    return None
            return await super().cull_kernel_if_idle(kernel_id)

        def remove_kernel(self, kernel_id):
            # every way a kernel ends (shut down by its page, culled, died) passes here
            km = super().remove_kernel(kernel_id)
            self._connected.discard(kernel_id)
            self._remove_folder(kernel_id)
            return km

        def _remove_folder(self, kernel_id):
            folder = self._folders.pop(kernel_id, None)
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
                self.log.info("Visitor kernel %s ended: its session folder is removed; %d of %s places in use",
                              kernel_id, self.places_in_use(but=kernel_id), self.max_kernels or "unlimited")

        async def shutdown_all(self, *args, **kwargs):
            try:
                await super().shutdown_all(*args, **kwargs)
            finally:
                for kid in list(self._folders):
                    self._remove_folder(kid)
                if self._own_root:
                    shutil.rmtree(self.session_root, ignore_errors=True)

    return VisitorLimitKernelManager


def __getattr__(name):  # built on first use: importing this module does not import Jupyter Server
    if name == "VisitorLimitKernelManager":
        globals()[name] = cls = _manager_class()
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
