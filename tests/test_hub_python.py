"""The participants' interpreter (toolkit/hub/python.py): its library path rewritten, and it runs as another user."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from toolkit.hub.python import ParticipantPythonError, participant_python, rewrite_runpath

BASE = Path(os.path.realpath(sys.base_prefix))
EXE = BASE / "bin" / f"python{sys.version_info[0]}.{sys.version_info[1]}"


def _runpath(path) -> str:
    out = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True).stdout
    return next((ln.split("[", 1)[1].rstrip("]") for ln in out.splitlines() if "RUNPATH" in ln or "RPATH" in ln), "")


needs_runpath = pytest.mark.skipif(shutil.which("readelf") is None or not EXE.exists()
                                   or not _runpath(EXE).startswith(str(BASE)),
                                   reason="this Python has no absolute library path to rewrite")


@needs_runpath
def test_rewritten_runpath_loads_the_copied_libpython(tmp_path):
    (tmp_path / "bin").mkdir()
    exe = tmp_path / "bin" / EXE.name
    shutil.copy2(EXE, exe)
    shutil.copytree(BASE / "lib", tmp_path / "lib", ignore=shutil.ignore_patterns("python*"), symlinks=True)
    assert rewrite_runpath(exe, str(BASE / "lib"), "$ORIGIN/../lib")
    assert _runpath(exe) == "$ORIGIN/../lib"
    ldd = subprocess.run(["ldd", str(exe)], capture_output=True, text=True).stdout
    line = next(ln for ln in ldd.splitlines() if "libpython" in ln)
    assert os.path.realpath(line.split("=>")[1].split("(")[0].strip()).startswith(str(tmp_path / "lib")), ldd
    assert not rewrite_runpath(exe, str(BASE / "lib"), "$ORIGIN/../lib")  # nothing left to change


@needs_runpath
def test_a_longer_runpath_is_refused(tmp_path):
    exe = tmp_path / EXE.name
    shutil.copy2(EXE, exe)
    with pytest.raises(ParticipantPythonError, match="longer"):
        rewrite_runpath(exe, str(BASE / "lib"), "/" + "x" * 300)


@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0, reason="building the participants' Python and switching users needs root")
def test_participant_python_runs_as_nobody():
    top = Path(tempfile.mkdtemp(prefix="vcl-hub-python-"))  # not under pytest's folder, which is 0700
    try:
        os.chmod(top, 0o755)
        repo = Path(__file__).resolve().parents[1]
        python = participant_python(top / "opt", repo=repo, log=lambda *a, **k: None)
        r = subprocess.run([str(python), "-c", "import os, sys, toolkit; print(os.getuid(), sys.prefix)"],
                           user=65534, group=65534, extra_groups=[], cwd="/",
                           env={"PYTHONPATH": str(repo), "HOME": "/nonexistent"}, capture_output=True, text=True,
                           timeout=300)
        assert r.returncode == 0, r.stderr[-1500:]
        uid, prefix = r.stdout.split()
        built = python != Path(sys.executable)  # a Python every user can run already is used as it is
        assert uid == "65534" and prefix == (str(top / "opt" / "venv") if built else sys.prefix)
    finally:
        shutil.rmtree(top, ignore_errors=True)
