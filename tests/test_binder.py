"""The Binder configuration agrees with the rest of the project."""

import os
import re
import shlex
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BINDER = REPO / "binder"


def test_runtime_matches_project_python():
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"
    assert 'requires-python = ">=3.11,<3.12"' in (REPO / "pyproject.toml").read_text()


def test_binder_requirements_include_the_pinned_ones_and_cpu_torch():
    lines = [ln.strip() for ln in (BINDER / "requirements.txt").read_text().splitlines()
             if ln.strip() and not ln.startswith("#")]
    includes = [ln.split(None, 1)[1] for ln in lines if ln.startswith("-r ")]
    assert includes == ["../requirements.txt"] and (BINDER / includes[0]).resolve() == REPO / "requirements.txt"
    assert any(ln.startswith("--extra-index-url") and ln.rstrip("/").endswith("/whl/cpu") for ln in lines)
    root = (REPO / "requirements.txt").read_text()
    assert re.search(r"^torch==2\.13\.0$", root, re.M), "torch must stay pinned to the CPU-built version"
    # Every other line of binder/requirements.txt is an option, not a second, divergent pin.
    assert all(ln.startswith("-") for ln in lines)


def test_post_build_is_executable_and_uses_real_commands():
    post = BINDER / "postBuild"
    assert os.access(post, os.X_OK)
    text = post.read_text()
    assert "set -euo pipefail" in text
    from toolkit.cli import build_parser

    commands = set(build_parser()._subparsers._group_actions[0].choices)
    for line in text.splitlines():
        if line.startswith("python -m toolkit "):
            assert shlex.split(line)[3] in commands
    copied = re.search(r"cp -r (\S+) ", text).group(1)
    assert (REPO / copied / "conf.json").exists() and (REPO / copied / "index.html.j2").exists()
