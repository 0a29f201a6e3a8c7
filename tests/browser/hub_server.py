"""Start `voice-lab hub` as a host would (for the browser tests and benchmarks/load_test.py --hub), and stop it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "test-workshop-password"


def start_hub(state_dir: Path, *, port: int, log_path: Path, env=None, timeout_s: float = 300.0, max_servers: int = 6):
    """Start `python -m toolkit hub` as a host would; returns the process once /hub/health answers."""
    env = {**os.environ, "VOICE_LAB_HUB_PASSWORD": PASSWORD, **(env or {})}
    parent = Path(state_dir).resolve().parent
    if parent.is_relative_to(tempfile.gettempdir()) and parent.exists():
        # a fresh temporary folder is 0700: let participants pass through it to their homes, as /srv would
        os.chmod(parent, parent.stat().st_mode | 0o011)
    log = open(log_path, "w")
    proc = subprocess.Popen([sys.executable, "-m", "toolkit", "hub", "--port", str(port), "--state-dir", str(state_dir),
                             "--idle-timeout", "900", "--max-servers", str(max_servers)], cwd=REPO, env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    deadline = time.time() + timeout_s
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"the hub exited with status {proc.returncode}: {log_path.read_text()[-2000:]}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/hub/health", timeout=3)
            return proc
        except (OSError, urllib.error.URLError):
            if time.time() > deadline:
                proc.kill()
                raise TimeoutError(f"the hub did not answer within {timeout_s} s; see {log_path}")
            time.sleep(1.0)


def stop_hub(proc, timeout_s: float = 90.0) -> int:
    proc.send_signal(signal.SIGINT)  # what Ctrl-C sends
    try:
        return proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
