"""Start Voila on a free localhost port for the browser tests, and stop it afterwards."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
#: The app's clone verdict ("Done: …", written just after the clone's player is filled) or an error message instead.
CLONE_VERDICT = ".vcl-clone-status:has-text('Done:'), .vcl-error"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def voila(notebook: str = "notebooks/app.ipynb", *, timeout_s: float = 90.0, log_path=None, env=None, preheat: int = 0,
          extra_args=()):
    """Serve ``notebook`` with Voila; yields the base URL.

    ``env`` adds environment variables for the server and its kernels (e.g. ``VOICE_LAB_CACHE``); ``extra_args``
    more Voila flags.
    """
    from toolkit.ui.serve import voila_command

    port = free_port()
    argv, server_env = voila_command(port=port, notebook=REPO / notebook, preheat=preheat)
    argv += list(extra_args)
    env = {**server_env, **(env or {})}
    url = f"http://127.0.0.1:{port}/"
    # ask for a static file, not the page: every request of the page takes a kernel (a preheated one, with a pool)
    probe = url + "voila/static/favicon.ico"
    with serving(argv, url=probe, name="voila", cwd=REPO, env=env, log_path=log_path, timeout_s=timeout_s):
        yield url


@contextmanager
def serving(argv, *, url: str, name: str, cwd, env, log_path=None, timeout_s: float = 90.0):
    """Run the server ``argv`` until the block ends; yields its process once ``url`` answers (any HTTP status)."""
    log = open(log_path or os.devnull, "w")
    proc = subprocess.Popen([str(a) for a in argv], cwd=cwd, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        wait_for_answer(proc, url, timeout_s=timeout_s, name=name, log_path=log_path)
        yield proc
    finally:
        stop(proc, timeout_s=15)
        log.close()


def wait_for_answer(proc, url: str, *, timeout_s: float, name: str = "the server", log_path=None) -> None:
    """Wait until ``url`` gives any HTTP answer, failing at once if ``proc`` exits."""
    deadline = time.time() + timeout_s
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with status {proc.returncode}" + (f"; see {log_path}" if log_path else ""))
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:  # any HTTP answer means the server is up
            return
        except OSError:
            if time.time() > deadline:
                raise TimeoutError(f"{name} did not start within {timeout_s:.0f} s")
            time.sleep(0.3)


def stop(proc, *, timeout_s: float) -> None:
    """Terminate ``proc``; kill it if it has not ended after ``timeout_s``."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()


def chromium_args(fake_audio_wav=None) -> list[str]:
    """Flags for headless Chromium on this closed network, with an optional fake microphone."""
    args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            "--autoplay-policy=no-user-gesture-required"]
    if fake_audio_wav:
        args += ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                 f"--use-file-for-fake-audio-capture={fake_audio_wav}"]
    return args


def wait_until_serving(proc, url: str, *, timeout_s: float = 90.0) -> None:
    """Wait until the server ``proc`` answers at ``url``, asking for a static file (not the app, which takes a kernel)."""
    wait_for_answer(proc, url.rstrip("/") + "/voila/static/voila.js", timeout_s=timeout_s)


def script_bytes(page) -> tuple[int, int]:
    """Bytes of JavaScript the opened ``page`` fetched: (as transferred, after decompression)."""
    sizes = page.evaluate("performance.getEntriesByType('resource')"
                          ".filter(r => /\\.js($|\\?)/.test(r.name)).map(r => [r.transferSize, r.decodedBodySize])")
    return sum(t for t, _ in sizes), sum(d for _, d in sizes)
