"""The lab installs like any other package: a fresh venv, torch first, then ``pip install <checkout>`` (not editable).

From an empty folder far from the checkout, with nothing of the checkout on the path, the installed ``voice-lab``
command prepares the models, checks and clones a reference (an example clip the wheel ships) and serves the app,
whose widgets render in headless Chromium.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.browser.voila_server import CHROMIUM, chromium_args, free_port, serving

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "tests" / "_artifacts"
TORCH = "torch==2.13.0"  # the CPU build, as requirements.txt pins it
slow = pytest.mark.slow


def _lock() -> dict:
    """``name -> version`` of requirements.txt, names normalised."""
    from packaging.utils import canonicalize_name

    pins = {}
    for line in (REPO / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version.strip()
    return pins


def test_declared_dependencies_admit_the_lock():
    """Every runtime and extra dependency of pyproject.toml is pinned in requirements.txt, in a range that admits it."""
    import tomllib

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    pins = _lock()
    declared = project["dependencies"] + [d for deps in project["optional-dependencies"].values() for d in deps]
    for spec in declared:
        req = Requirement(spec)
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is declared in pyproject.toml but not pinned in requirements.txt"
        assert req.specifier.contains(pins[name], prereleases=True), f"{spec} does not admit the pinned {pins[name]}"
    assert Requirement(next(d for d in project["dependencies"] if d.startswith("torch"))).specifier.contains("2.1.0")
    assert set(project["optional-dependencies"]) >= {"test", "bench"}


def test_one_version_string():
    import tomllib

    import toolkit

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert "version" in project.get("dynamic", []) and "version" not in project
    assert toolkit.__version__.count(".") == 2


def test_help_names_the_program_voice_lab():
    from toolkit.cli import build_parser

    assert build_parser().format_usage().startswith("usage: voice-lab")


def _run(argv, *, cwd, env, timeout=900) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{argv[:4]} exited {proc.returncode}:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """``(bin_dir, empty_folder, env)`` of a fresh venv with the checkout installed from a copy of its files."""
    root = tmp_path_factory.mktemp("install")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["VOICE_LAB_CACHE"] = str(root / "cache")  # a cache of its own: prepare and clone really run
    python = getattr(sys, "_base_executable", sys.executable)
    _run([python, "-m", "venv", root / "venv"], cwd=root, env=env, timeout=300)
    bin_dir = root / "venv" / "bin"
    _run([bin_dir / "python", "-m", "pip", "install", "-q", TORCH], cwd=root, env=env)
    # -c: the exact versions of the lock file (the Makefile's); the checkout is built into a wheel and installed
    _run([bin_dir / "python", "-m", "pip", "install", "-q", "-c", REPO / "requirements.txt", REPO], cwd=root, env=env,
         timeout=1800)
    empty = root / "elsewhere" / "empty"
    empty.mkdir(parents=True)
    return bin_dir, empty, env


def _voice_lab(installed, *args, timeout=900):
    bin_dir, empty, env = installed
    return _run([bin_dir / "voice-lab", *args], cwd=empty, env=env, timeout=timeout)


@slow
@pytest.mark.timeout(2400)
def test_installed_package_is_not_the_checkout(installed):
    bin_dir, empty, env = installed
    out = _run([bin_dir / "python", "-c", "import toolkit, toolkit.media as m; print(toolkit.__file__); "
                "print(m.MEDIA_DIR); print(toolkit.__version__)"], cwd=empty, env=env).stdout.split()
    site = str(bin_dir.parent / "lib")
    assert out[0].startswith(site) and out[1].startswith(site), out
    assert (Path(out[1]) / "index.csv").exists()
    import toolkit

    assert out[2] == toolkit.__version__


@slow
@pytest.mark.timeout(2400)
def test_help_names_voice_lab(installed):
    assert _voice_lab(installed, "--help").stdout.startswith("usage: voice-lab")
    bin_dir, empty, env = installed
    assert "usage: voice-lab" in _run([bin_dir / "python", "-m", "toolkit", "--help"], cwd=empty, env=env).stdout


@slow
@pytest.mark.timeout(2400)
def test_prepare_check_clone_from_an_empty_folder(installed):
    bin_dir, empty, env = installed
    prepared = json.loads(_voice_lab(installed, "prepare", "--json").stdout)
    assert prepared["tts"]["size_mb"] > 10
    ref = _run([bin_dir / "python", "-c", "from toolkit.media import example_path; print(example_path('ref_good'))"],
               cwd=empty, env=env).stdout.strip()
    assert ref.startswith(str(bin_dir.parent / "lib")), ref
    report = json.loads(_voice_lab(installed, "check", ref, "--json").stdout)
    assert report["ok"] is True and len(report["checks"]) >= 5, report
    result = json.loads(_voice_lab(installed, "clone", "--reference", ref, "--text", "Hello from an installed lab.",
                                   "--out", "clone.wav", "--json", timeout=1200).stdout)
    assert (empty / "clone.wav").stat().st_size > 10_000
    assert result["duration_s"] > 0.5 and result["similarity"], result
    assert all(-1 <= v <= 1 for v in result["similarity"].values()), result


@slow
@pytest.mark.timeout(2400)
def test_serve_renders_the_app(installed):
    bin_dir, empty, env = installed
    url = f"http://127.0.0.1:{free_port()}/"
    ARTIFACTS.mkdir(exist_ok=True)
    argv = [bin_dir / "voice-lab", "serve", "--port", urlparse(url).port]
    with serving(argv, url=url, name="voice-lab serve", cwd=empty, env=env, log_path=ARTIFACTS / "install_serve.log",
                 timeout_s=180):
        with urllib.request.urlopen(url, timeout=120) as resp:
            assert resp.status == 200
        path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
        assert path, "no Chromium: `apt-get install chromium` (make test does it when run as root)"
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=path, headless=True, args=chromium_args())
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                page.goto(url, timeout=180_000)
                page.wait_for_selector(".vcl-record", timeout=180_000)
                assert page.locator("h1", has_text="Voice Cloning Lab").is_visible()
                assert page.locator(".vcl-clone").count() == 1
                page.screenshot(path=str(ARTIFACTS / "install_serve.png"))
            finally:
                browser.close()
