"""The Voila app in headless Chromium, driven by Playwright, recording from a fake microphone fed with real speech."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.browser.voila_server import CHROMIUM, REPO, chromium_args, voila

pytestmark = pytest.mark.browser
ARTIFACTS = REPO / "tests" / "_artifacts"


@pytest.fixture(scope="module")
def chromium_path():
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


@pytest.fixture(scope="module")
def app_page(chromium_path, fake_mic_wav):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with voila(log_path=ARTIFACTS / "voila.log") as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, headless=True, args=chromium_args(fake_mic_wav))
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.grant_permissions(["microphone"], origin=url.rstrip("/"))
        page = context.new_page()
        outside = []
        page.on("request", lambda req: outside.append(req.url)
                if urlparse(req.url).hostname not in ("127.0.0.1", "localhost") and not req.url.startswith("data:")
                and not req.url.startswith("blob:") else None)
        page.goto(url, timeout=120_000)
        page.wait_for_selector(".vcl-record", timeout=120_000)
        yield page, outside
        browser.close()


def test_app_serves_without_internet(app_page):
    page, outside = app_page
    assert page.locator("text=Voice Cloning Lab").first.is_visible()
    assert outside == [], f"the page tried to fetch from outside: {outside[:5]}"


def test_record_from_fake_microphone_shows_duration(app_page):
    page, _ = app_page
    page.click(".vcl-record")
    page.wait_for_timeout(3000)
    page.click(".vcl-record")
    summary = page.locator(".vcl-duration")
    summary.wait_for(timeout=60_000)
    text = summary.inner_text()
    page.wait_for_selector(".vcl-waveform img", timeout=60_000)
    page.wait_for_selector(".vcl-spectrogram img", timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "app_recorded.png"), full_page=True)
    m = re.search(r"my recording: ([\d.]+) s", text)
    assert m, f"unexpected summary: {text!r}"
    assert 2.0 <= float(m.group(1)) <= 5.0, text
    assert "peak" in text


def _example_label(key):
    from toolkit.media import list_examples

    return next(e.description for e in list_examples() if e.key == key)


def test_non_audio_upload_gives_friendly_message(app_page, tmp_path):
    page, _ = app_page
    page.select_option(".vcl-recorder select", label=_example_label("tone_a3"))
    page.wait_for_function("document.querySelector('.vcl-duration')?.innerText.includes('tone_a3')", timeout=60_000)
    bad = tmp_path / "holiday-notes.wav"
    bad.write_text("these are not audio samples\n" * 200)
    with page.expect_file_chooser() as chooser:
        page.click(".vcl-upload")
    chooser.value.set_files(str(bad))
    alert = page.locator(".vcl-error")
    alert.wait_for(timeout=60_000)
    assert "could not read holiday-notes.wav" in alert.inner_text()
    assert "previous clip is kept" in alert.inner_text()
    # The clip from before is still there, and the page still works.
    assert "tone_a3" in page.locator(".vcl-duration").inner_text()
    page.select_option(".vcl-recorder select", label=_example_label("vowel_a_150"))
    page.wait_for_function("document.querySelector('.vcl-duration').innerText.includes('vowel_a_150')", timeout=60_000)
