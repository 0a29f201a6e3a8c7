"""Shared fixtures: the real speech set beside the repo, synthetic signals, a CLI runner."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parent.parent
SPEECH_DIR = Path(os.environ.get("VOICE_LAB_SPEECH", REPO.parent / "shared" / "speech"))


@pytest.fixture(scope="session")
def speech_dir() -> Path:
    """``../shared/speech`` (or $VOICE_LAB_SPEECH); tests that need it skip when it is absent."""
    if not (SPEECH_DIR / "manifest.csv").exists():
        pytest.skip(f"real speech set not found at {SPEECH_DIR}; put shared/ beside the repo or set VOICE_LAB_SPEECH")
    return SPEECH_DIR


@pytest.fixture(scope="session")
def speech_manifest(speech_dir) -> list[dict]:
    """Rows of ``manifest.csv`` with ``path`` added and ``duration_s`` as float."""
    with open(speech_dir / "manifest.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        r["path"] = speech_dir / r["file"]
        r["duration_s"] = float(r["duration_s"])
    return rows


@pytest.fixture(scope="session")
def english_refs(speech_manifest) -> list[dict]:
    """English reference clips of 5 s or more."""
    return [r for r in speech_manifest if r["role"] == "ref" and r["language"] == "en" and r["duration_s"] >= 5.0]


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def run_cli(*args, timeout=300):
    """Run ``python -m toolkit ARGS`` in a subprocess; return the CompletedProcess."""
    return subprocess.run([sys.executable, "-m", "toolkit", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, cwd=REPO)


@pytest.fixture
def cli():
    return run_cli
