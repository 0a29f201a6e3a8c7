"""A Python every participant can run, when the host's own is closed to other users (e.g. pyenv under /root).

Participants' servers run as system users of their own (:mod:`toolkit.hub.spawner`), so they must be able to
execute the interpreter and read the lab's packages. A Python installed under a home that only its owner can
enter (pyenv in ``/root``, mode 0700) is closed to them; rather than open the home, the hub builds, once:

* ``/opt/voice-lab/python``: a copy of the base installation (``sys.base_prefix``) without its own
  ``site-packages`` and CPython's test suite, world-readable, with the absolute library path baked into its
  executables (``RUNPATH``, e.g. ``/root/.pyenv/versions/3.11.7/lib``) rewritten relative to them
  (``$ORIGIN/../lib``), so it loads its own ``libpython``;
* ``/opt/voice-lab/venv``: a virtual environment of that copy whose ``lib``, ``share`` and ``etc`` are the
  lab's virtual environment's (symbolic links): the same packages, Jupyter extensions and templates, nothing
  installed twice.

Both are rebuilt only when the base Python or the lab's environment changes; the hub then checks that an
unprivileged user (``nobody``) can start the interpreter and import the lab.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
import time
from pathlib import Path

from ..errors import ToolkitError

__all__ = ["PARTICIPANT_ROOT", "others_can_run", "others_can_read", "participant_python", "rewrite_runpath"]

#: Where the hub puts the participants' interpreter when the host's is closed to them.
PARTICIPANT_ROOT = Path("/opt/voice-lab")
_DT_RPATH, _DT_RUNPATH, _DT_STRTAB, _PT_LOAD, _PT_DYNAMIC = 15, 29, 5, 1, 2


class ParticipantPythonError(ToolkitError):
    """The participants' interpreter could not be built or does not run as another user."""


def others_can_run(path) -> str:
    """``""`` when every user can run the program at ``path`` (and reach it), else the folder or file that stops them.

    Examples
    --------
    >>> others_can_run("/bin/sh")
    ''
    """
    real = Path(os.path.realpath(path))
    for folder in reversed(real.parents):
        if not os.stat(folder).st_mode & 0o001:
            return str(folder)
    return "" if os.stat(real).st_mode & 0o005 == 0o005 else str(real)


def others_can_read(folder) -> str:
    """``""`` when every user can enter ``folder`` and the folders above it, else the first one that stops them.

    Examples
    --------
    >>> others_can_read("/usr/lib")
    ''
    """
    real = Path(os.path.realpath(folder))
    for f in reversed(real.parents):
        if not os.stat(f).st_mode & 0o001:
            return str(f)
    return "" if os.stat(real).st_mode & 0o005 == 0o005 else str(real)


def rewrite_runpath(path, old_prefix: str, new_prefix: str) -> bool:
    """Rewrite in place the ``RUNPATH``/``RPATH`` of the ELF file ``path``: ``old_prefix...`` → ``new_prefix...``.

    The string table entry is overwritten and padded with NUL bytes, so ``new_prefix`` must be no longer than
    ``old_prefix`` (as ``chrpath`` does). ``new_prefix`` may use ``$ORIGIN``. Returns whether anything changed;
    files that are not 64-bit little-endian ELF, or whose path does not start with ``old_prefix``, are left alone.
    """
    with open(path, "r+b") as f:
        head = f.read(64)
        if head[:4] != b"\x7fELF" or head[4] != 2 or head[5] != 1:
            return False
        phoff, = struct.unpack_from("<Q", head, 0x20)
        phentsize, phnum = struct.unpack_from("<HH", head, 0x36)
        f.seek(phoff)
        table = f.read(phentsize * phnum)
        loads, dynamic = [], None
        for i in range(phnum):
            p_type, _, p_offset, p_vaddr, _, p_filesz = struct.unpack_from("<IIQQQQ", table, i * phentsize)
            if p_type == _PT_LOAD:
                loads.append((p_vaddr, p_offset, p_filesz))
            elif p_type == _PT_DYNAMIC:
                dynamic = (p_offset, p_filesz)
        if dynamic is None:
            return False
        f.seek(dynamic[0])
        dyn = f.read(dynamic[1])
        entries = [struct.unpack_from("<qQ", dyn, i) for i in range(0, len(dyn) - 15, 16)]
        strtab = next((v for t, v in entries if t == _DT_STRTAB), None)
        paths = [v for t, v in entries if t in (_DT_RPATH, _DT_RUNPATH)]
        if strtab is None or not paths:
            return False
        strtab_off = next((off + strtab - va for va, off, size in loads if va <= strtab < va + size), None)
        if strtab_off is None:
            return False
        changed = False
        for index in paths:
            f.seek(strtab_off + index)
            raw = f.read(4096).split(b"\0", 1)[0]
            value = raw.decode()
            parts = [new_prefix + p[len(old_prefix):] if p.startswith(old_prefix) else p for p in value.split(":")]
            new = ":".join(parts).encode()
            if new == raw:
                continue
            if len(new) > len(raw):
                raise ParticipantPythonError(f"cannot rewrite the library path of {path} to {new.decode()}: longer "
                                             f"than {value}; install Python where every user can read it instead")
            f.seek(strtab_off + index)
            f.write(new + b"\0" * (len(raw) - len(new)))
            changed = True
        return changed


def _du_mb(folder: Path) -> float:
    total = 0
    for root, _, files in os.walk(folder):
        for n in files:
            p = os.path.join(root, n)
            if not os.path.islink(p):
                total += os.lstat(p).st_size
    return total / 2**20


def _stamp(folder: Path) -> dict:
    try:
        return json.loads((folder / ".voice-lab-source.json").read_text())
    except (OSError, ValueError):
        return {}


def _copy_base(base: Path, dest: Path, source: dict):
    """Copy the base installation to ``dest`` (via a temporary folder, so a half-copy is never used)."""
    lib = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    skip = {base / "lib" / lib / "site-packages", base / "lib" / lib / "test"}

    def ignore(folder, names):
        return [n for n in names if Path(folder) / n in skip]

    tmp = dest.with_name(f".{dest.name}-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(base, tmp, symlinks=True, ignore=ignore)
    (tmp / "lib" / lib / "site-packages").mkdir()
    for root, dirs, files in os.walk(tmp):
        for n in files:
            p = Path(root) / n
            if p.is_symlink() or not (n.endswith(".so") or ".so." in n or Path(root).name == "bin"):
                continue
            # relative to the file: $ORIGIN/../lib from bin/, $ORIGIN from lib/, $ORIGIN/../.. from lib-dynload/
            rel = os.path.relpath(tmp / "lib", root)
            rewrite_runpath(p, str(base / "lib"), "$ORIGIN" if rel == "." else f"$ORIGIN/{rel}")
    for root, dirs, files in os.walk(tmp):  # readable by all, as an installation under /usr/local is
        for n in (*dirs, *files):
            p = os.path.join(root, n)
            if not os.path.islink(p):
                os.chmod(p, os.lstat(p).st_mode | (0o055 if os.path.isdir(p) or os.lstat(p).st_mode & 0o100 else 0o044))
    os.chmod(tmp, 0o755)
    (tmp / ".voice-lab-source.json").write_text(json.dumps(source))
    if dest.exists():
        shutil.rmtree(dest)
    tmp.rename(dest)


def _make_venv(python_dir: Path, venv: Path, source: dict):
    """A virtual environment of the copied Python that shares the lab's environment's lib, share and etc."""
    ver = f"{sys.version_info[0]}.{sys.version_info[1]}"
    tmp = venv.with_name(f".{venv.name}-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "bin").mkdir(parents=True)
    (tmp / "pyvenv.cfg").write_text(f"home = {python_dir / 'bin'}\ninclude-system-site-packages = false\n"
                                    f"version = {'.'.join(map(str, sys.version_info[:3]))}\n"
                                    f"# written by voice-lab hub (toolkit/hub/python.py): lib, share and etc are "
                                    f"{sys.prefix}'s\n")
    os.symlink(python_dir / "bin" / f"python{ver}", tmp / "bin" / f"python{ver}")
    for alias in ("python", f"python{sys.version_info[0]}"):
        os.symlink(f"python{ver}", tmp / "bin" / alias)
    for part in ("lib", "share", "etc"):
        if (Path(sys.prefix) / part).exists():
            os.symlink(Path(sys.prefix) / part, tmp / part)
    (tmp / ".voice-lab-source.json").write_text(json.dumps(source))
    os.chmod(tmp, 0o755)
    os.chmod(tmp / "bin", 0o755)
    if venv.exists() or venv.is_symlink():
        shutil.rmtree(venv)
    tmp.rename(venv)


def _check_as_nobody(python: Path, repo: Path):
    """Start ``python`` as user ``nobody`` and import what a participant's server imports."""
    env = {"PATH": f"{python.parent}:/usr/bin:/bin", "PYTHONPATH": str(repo), "HOME": "/nonexistent",
           "PYTHONDONTWRITEBYTECODE": "1"}
    code = "import jupyterhub.singleuser, voila, ipykernel, toolkit.ui; print('ok')"
    try:
        r = subprocess.run([str(python), "-c", code], user=65534, group=65534, extra_groups=[], cwd="/", env=env,
                           capture_output=True, text=True, timeout=300)
    except OSError as exc:
        raise ParticipantPythonError(f"{python} does not start as another user ({exc}); install Python where every "
                                     "user can read it (e.g. /usr/local or /opt)") from None
    if r.returncode != 0 or "ok" not in r.stdout:
        last = (r.stderr.strip().splitlines() or ["no output"])[-1]
        raise ParticipantPythonError(f"{python} started as another user fails: {last} (is {repo} readable by all?)")


def participant_python(root=PARTICIPANT_ROOT, *, repo: Path, log=print) -> Path:
    """The interpreter participants' servers run: this one when every user can run it, else a built copy.

    Needs root when a copy must be built (under ``root``, default ``/opt/voice-lab``); the copy is reused by
    later starts while the base Python and the lab's environment stay the same. Raises
    :class:`ParticipantPythonError` when the interpreter does not start as an unprivileged user.
    """
    own = Path(sys.executable)
    if not others_can_run(own) and not others_can_read(sysconfig_purelib()):
        _check_as_nobody(own, repo)
        return own
    root = Path(root)
    base = Path(os.path.realpath(sys.base_prefix))
    source = {"base_prefix": str(base), "version": sys.version, "prefix": str(Path(sys.prefix).resolve())}
    python_dir, venv = root / "python", root / "venv"
    t0 = time.perf_counter()
    built = []
    root.mkdir(parents=True, exist_ok=True)
    os.chmod(root, 0o755)
    if {k: _stamp(python_dir).get(k) for k in ("base_prefix", "version")} != \
            {k: source[k] for k in ("base_prefix", "version")}:
        _copy_base(base, python_dir, source)
        built.append(f"{python_dir} ({_du_mb(python_dir):.0f} MB, a copy of {base} without its site-packages)")
    if _stamp(venv) != source:
        _make_venv(python_dir, venv, source)
        built.append(f"{venv} (the packages of {sys.prefix})")
    python = venv / "bin" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
    _check_as_nobody(python, repo)
    if built:
        log(f"participants' Python: built {' and '.join(built)} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return python


def sysconfig_purelib() -> str:
    """The lab's site-packages folder (what participants' interpreters must read)."""
    import sysconfig

    return sysconfig.get_paths()["purelib"]
