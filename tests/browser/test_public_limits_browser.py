"""The public site's limits in headless Chromium: `python -m toolkit serve --max-visitors 2 --idle-timeout 20`.

Two pages get the app; a third sees "the lab is full" within 10 s and the server runs no third kernel; the first page,
left idle, has its kernel shut down within 20 + 15 s and says so; the waiting page then gets in by itself; closing
it frees its place at once. A sampler
counts the server's kernel processes the whole time: never more than two.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest

from tests.browser.voila_server import REPO, chromium_args, free_port, stop, wait_until_serving

pytestmark = pytest.mark.browser
ARTIFACTS = REPO / "tests" / "_artifacts"
MAX_VISITORS = 2
IDLE_TIMEOUT_S = 20
#: The must-show limits: the "full" message within 10 s, an idle kernel gone (and said so) within 20 + 15 s.
FULL_LIMIT_S = 10.0
ENDED_LIMIT_S = IDLE_TIMEOUT_S + 15.0
#: Generous, for a busy 2-core machine: a page's first widget, and the waiting page's retry (every 30 s) + load.
FIRST_WIDGET_MS = 120_000
GET_IN_MS = 150_000


def kernel_pids(server_pid: int) -> list[int]:
    import psutil

    try:
        children = psutil.Process(server_pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    out = []
    for c in children:
        try:
            if "ipykernel_launcher" in " ".join(c.cmdline()):
                out.append(c.pid)
        except psutil.Error:
            pass
    return out


@pytest.fixture(scope="module")
def limited_server(tmp_path_factory):
    """``python -m toolkit serve --max-visitors 2 --idle-timeout 20`` on a free port; yields ``(url, pid, log)``."""
    ARTIFACTS.mkdir(exist_ok=True)
    port = free_port()
    log_path = ARTIFACTS / "public_limits.log"
    env = {**os.environ, "VOICE_LAB_CACHE": str(tmp_path_factory.mktemp("host_cache"))}
    log = open(log_path, "w")
    proc = subprocess.Popen([sys.executable, "-m", "toolkit", "serve", f"--port={port}",
                             f"--max-visitors={MAX_VISITORS}", f"--idle-timeout={IDLE_TIMEOUT_S}"],
                            cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_serving(proc, url)
        yield url, proc.pid, log_path
    finally:
        stop(proc, timeout_s=20)
        log.close()


class KernelSampler(threading.Thread):
    """Counts the server's kernel processes every 0.5 s; ``peak`` is the most seen at once."""

    def __init__(self, server_pid):
        super().__init__(daemon=True)
        self.server_pid, self.peak, self.stopped = server_pid, 0, threading.Event()

    def run(self):
        while not self.stopped.is_set():
            self.peak = max(self.peak, len(kernel_pids(self.server_pid)))
            self.stopped.wait(0.5)


def test_full_then_idle_then_in(limited_server, chromium_path):
    from playwright.sync_api import sync_playwright

    url, pid, log_path = limited_server
    sampler = KernelSampler(pid)
    sampler.start()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, headless=True, args=chromium_args())
        pages = [browser.new_context(viewport={"width": 1100, "height": 800}).new_page() for _ in range(3)]
        first, second, third = pages
        try:
            for page in (first, second):
                page.goto(url, timeout=FIRST_WIDGET_MS)
                page.wait_for_selector(".vcl-record", timeout=FIRST_WIDGET_MS)
            first_ready = time.monotonic()
            assert "deleted when you close this page or leave it idle for 20 s" in " ".join(
                first.locator(".vcl-public-note").inner_text().split())
            assert len(kernel_pids(pid)) == 2

            # the third visitor: a friendly page at once, and no kernel
            t0 = time.monotonic()
            response = third.goto(url, timeout=FULL_LIMIT_S * 1000)
            third.wait_for_selector("text=The lab is full right now; this page will retry in 30 s",
                                    timeout=FULL_LIMIT_S * 1000)
            assert time.monotonic() - t0 < FULL_LIMIT_S
            assert response.status == 503
            third.screenshot(path=str(ARTIFACTS / "public_full.png"))
            time.sleep(2)
            assert len(kernel_pids(pid)) == 2, "the full page must not start a kernel"

            # the second visitor keeps working; the first leaves their page alone until the server ends it
            suggestions = second.locator(".vcl-suggestion")
            ended = first.locator(".vcl-ended-banner")
            n = 0
            while not ended.is_visible():
                elapsed = time.monotonic() - first_ready
                assert elapsed < ENDED_LIMIT_S, f"no 'session ended' message after {elapsed:.0f} s idle"
                suggestions.nth(n % 4).click()  # a widget message: activity on the second kernel
                n += 1
                first.wait_for_timeout(1000)
            ended_after_s = time.monotonic() - first_ready
            assert ended.inner_text().startswith(
                f"Your session ended after {IDLE_TIMEOUT_S} s without activity; reload to start again")
            print(f"first page ended {ended_after_s:.1f} s after it was ready")
            first.screenshot(path=str(ARTIFACTS / "public_ended.png"))

            # the waiting page gets in by itself (its 30 s retry), while the second visitor keeps working
            deadline = time.monotonic() + GET_IN_MS / 1000
            while third.locator(".vcl-record").count() == 0:
                assert time.monotonic() < deadline, "the waiting page did not get in"
                suggestions.nth(n % 4).click()
                n += 1
                third.wait_for_timeout(1000)
            third.wait_for_selector(".vcl-record", timeout=FIRST_WIDGET_MS)
            assert third.locator(".vcl-ended-banner").count() == 0
            assert not second.locator(".vcl-ended-banner").is_visible(), "an active visitor was culled"
            assert len(kernel_pids(pid)) == 2

            # closing a tab frees its place at once (Voila's page asks the server to end its kernel)
            third.close(run_before_unload=True)
            deadline = time.monotonic() + 20
            while len(kernel_pids(pid)) > 1:
                assert time.monotonic() < deadline, "a closed tab kept its kernel"
                time.sleep(0.5)
        finally:
            sampler.stopped.set()
            browser.close()
    assert sampler.peak <= MAX_VISITORS, f"{sampler.peak} kernels ran at once"
    log = log_path.read_text()
    assert "Lab full: turned a visitor away" in log
    assert "Culling 'idle' kernel" in log
    assert "403 POST /voila/api/shutdown" not in log
