"""``voice-lab serve --preheat N``: visitors get kernels that have already built the app.

One Voila server with a pool of two preheated kernels. A browserless visitor
(:mod:`tests.browser.protocol_visitor`, what the load test uses to time the server's part) gets the page and the
widget state of an executed app; a visitor in Chromium then sees the app's widgets. Voila's log must say that both
were given pre-heated kernels. Speed is measured by ``benchmarks/load_test.py --preheat`` (docs/hosting.md).
"""

from __future__ import annotations

import asyncio
import time

import pytest

from tests.browser.voila_server import REPO, voila

pytestmark = pytest.mark.browser
ARTIFACTS = REPO / "tests" / "_artifacts"
POOL = 2
#: Generous limits for a busy 2-core machine.
POOL_FILL_LIMIT_S = 300
FIRST_WIDGET_LIMIT_MS = 60_000


def _wait_for_pool(log, *, timeout_s: float) -> None:
    deadline = time.time() + timeout_s
    while f"filled with {POOL} kernel" not in log.read_text():
        if time.time() > deadline:
            pytest.fail(f"Voila's kernel pool did not fill within {timeout_s} s; see {log}")
        time.sleep(1)


def test_preheated_kernels_serve_the_built_app(chromium_path, tmp_path):
    from playwright.sync_api import sync_playwright

    from tests.browser.protocol_visitor import visit

    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / "voila_preheat.log"
    with voila(log_path=log, preheat=POOL, env={"VOICE_LAB_CACHE": str(tmp_path / "cache")}, timeout_s=180) as url:
        _wait_for_pool(log, timeout_s=POOL_FILL_LIMIT_S)

        # without a browser: the page of an executed kernel, and that kernel's widgets over its websocket
        plain = asyncio.run(visit(url, [], timeout_s=120))
        assert plain["ok"], plain["error"]
        assert plain["widgets"] > 50, plain  # the whole app, not an empty page (it builds about 200)

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path, headless=True)
            try:
                page = browser.new_page()
                page.goto(url)
                page.wait_for_selector(".vcl-record", timeout=FIRST_WIDGET_LIMIT_MS)
                assert page.locator(".vcl-recorder select").count() == 1
            finally:
                browser.close()
        served = log.read_text().count("Using pre-heated kernel")
    assert served == 2, f"{served} of the 2 visitors got a pre-heated kernel; see {log}"
