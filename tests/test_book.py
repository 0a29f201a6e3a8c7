"""The book: built from the notebooks executed as a learner has them, read in headless Chromium with no internet.

The book is rendered from ``build/executed/`` (the notebook tests' executions, shared: each notebook runs once
per test process), served from ``build/book/`` on localhost, and every page is opened in Chromium with every
request to anywhere but localhost aborted. Each notebook page must show its figures and players, and every
player must load its sound (a duration above zero).
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.book_build import book_build, executed_path
from tests.browser.voila_server import CHROMIUM, chromium_args

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "tests" / "_artifacts"
TEACHING = sorted(p.name for p in (REPO / "notebooks").glob("0[1-6]_*.ipynb"))
#: Generous: the first test here may execute every notebook (when the notebook tests have not yet run them).
pytestmark = [pytest.mark.notebook, pytest.mark.browser, pytest.mark.timeout(2400)]


@pytest.fixture(scope="module")
def book() -> Path:
    for name in TEACHING:
        executed_path(name)
    return book_build().build_book()


@pytest.fixture(scope="module")
def book_url(book):
    handler = functools.partial(_QuietHandler, directory=str(book))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if not path:
        pytest.skip("no Chromium on this machine: `apt-get install chromium` (make test does it when run as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, headless=True, args=chromium_args())
        yield b
        b.close()


def open_offline(browser, url):
    """Open ``url`` with every request that leaves localhost aborted; returns ``(page, outside, failed)``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside, failed = [], []

    def route(r):
        host = urlparse(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("response", lambda resp: failed.append(f"{resp.status} {resp.url}") if resp.status >= 400 else None)
    page.goto(url, wait_until="load", timeout=60_000)
    return page, outside, failed


#: Resolves to the duration of every <audio> on the page once its metadata has loaded (NaN if it cannot load).
DURATIONS_JS = """() => Promise.all(Array.from(document.querySelectorAll('audio')).map(a => new Promise(done => {
    if (a.readyState >= 1) return done(a.duration);
    a.addEventListener('loadedmetadata', () => done(a.duration), {once: true});
    a.addEventListener('error', () => done(NaN), {once: true});
    a.preload = 'metadata'; a.load();
    setTimeout(() => done(NaN), 20000);
})))"""


def test_book_has_a_page_per_notebook(book):
    assert (book / "index.html").exists()
    for name in TEACHING:
        assert (book / name.replace(".ipynb", ".html")).exists(), name
    index = (book / "index.html").read_text(encoding="utf-8")
    assert "An interactive tutorial and toolkit that teaches how zero-shot voice cloning works" in index
    for doc in ("glossary", "workshop"):
        if (REPO / "docs" / f"{doc}.md").exists():
            assert (book / f"{doc}.html").exists(), f"docs/{doc}.md is not in the book"
            assert f'href="{doc}.html"' in index


def test_book_uses_no_cdn(book):
    """No page links a script, stylesheet or font from the internet (audio and figures are beside the pages)."""
    for page in book.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        remote = re.findall(r"<(?:script|link)[^>]+(?:src|href)=\"(https?://[^\"]+)\"", html)
        assert not remote, f"{page.name} loads {remote[:3]}"


def test_landing_page_offline(browser, book_url):
    page, outside, failed = open_offline(browser, book_url)
    try:
        assert page.title().startswith("Voice Cloning Lab")
        links = page.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))")
        for name in TEACHING:
            assert name.replace(".ipynb", ".html") in links, name
        page.screenshot(path=str(ARTIFACTS / "book_index.png"))
        assert outside == [] and failed == [], (outside[:3], failed[:3])
    finally:
        page.context.close()


@functools.lru_cache(maxsize=None)
def _page_facts(browser, book_url, name) -> dict:
    """Open the page of notebook ``name`` offline once; what the tests below look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    page, outside, failed = open_offline(browser, book_url + name.replace(".ipynb", ".html"))
    try:
        facts = {
            "figures": page.locator(".cell_output img").count(),
            "durations": page.evaluate(DURATIONS_JS),
            "errors": page.locator(".cell_output .traceback, .cell_output .stderr:has-text('Traceback')").count(),
            "binder": page.locator("a[href*='mybinder.org']").first.get_attribute("href"),
            "note": page.locator(".admonition.note").first.inner_text(),
        }
        page.screenshot(path=str(ARTIFACTS / f"book_{name[:2]}.png"))
        page.locator(".cell_output audio").nth(1).scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"book_{name[:2]}_player.png"))
    finally:
        page.context.close()
    return {**facts, "outside": outside, "failed": failed}


@pytest.mark.parametrize("name", TEACHING)
def test_notebook_page_offline(browser, book_url, name):
    facts = _page_facts(browser, book_url, name)
    durations = facts["durations"]
    assert len(durations) >= 3, f"{name}: {len(durations)} audio players"
    assert all(d and d > 0 for d in durations), f"{name}: players that did not load: {durations}"
    assert facts["errors"] == 0
    assert facts["binder"].endswith(f"urlpath=lab/tree/notebooks/{name}")
    assert "need a live" in facts["note"] and "make lab" in facts["note"]
    assert facts["outside"] == [], f"{name} asked the internet for {facts['outside'][:3]}"
    assert facts["failed"] == [], facts["failed"][:3]


@pytest.mark.parametrize("name", TEACHING)
def test_notebook_page_shows_figures(browser, book_url, name):
    figures = _page_facts(browser, book_url, name)["figures"]
    assert figures >= 2, f"{name}: {figures} figures"
