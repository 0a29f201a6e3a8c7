"""Fixtures shared by the browser tests."""

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
