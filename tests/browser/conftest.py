"""Fixtures of the browser tests: Chromium, and a fake microphone fed with real speech."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.browser.voila_server import CHROMIUM


@pytest.fixture(scope="session")
def chromium_path():
    """Path of the system Chromium; the test skips with how to install it when there is none."""
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if not path:
        pytest.skip("no Chromium on this machine: `apt-get install chromium` (make test does it when run as root)")
    return path


@pytest.fixture(scope="module")
def fake_mic_wav(tmp_path_factory, english_refs):
    """A real speech clip as 48 kHz 16-bit WAV, the format Chromium's fake capture device reads best."""
    from toolkit import load, save

    y, sr = load(english_refs[0]["path"], sr=48000)
    return save(tmp_path_factory.mktemp("mic") / "mic.wav", y, sr=sr)
