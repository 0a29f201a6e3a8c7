"""The notebooks in JupyterLab 4, in headless Chromium: what a learner does after ``make lab``.

Notebook 04 holds the recorder: the test runs the whole notebook, records 6 s from Chromium's fake microphone fed
with real speech (ipywebrtc's recorder in JupyterLab 4), and sees the report card of that recording. In notebook
01 it moves a slider of the spectrogram explorer and sees the figure change. Screenshots go to tests/_artifacts.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.lab_server import jupyterlab
from tests.browser.voila_server import REPO, chromium_args

pytestmark = [pytest.mark.browser, pytest.mark.timeout(1200)]
ARTIFACTS = REPO / "tests" / "_artifacts"
RECORD_S = 6.0
#: Running all of notebook 04 in a kernel takes about half a minute on a quiet 2-core machine.
RUN_ALL_LIMIT_MS = 420_000


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    ARTIFACTS.mkdir(exist_ok=True)
    work = tmp_path_factory.mktemp("lab")
    with jupyterlab(work, log_path=ARTIFACTS / "jupyterlab.log") as (url, token):
        yield url, token


@pytest.fixture(scope="module")
def browser(chromium_path, fake_mic_wav):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path, headless=True, args=chromium_args(fake_mic_wav))
        yield b
        b.close()


def open_notebook(browser, lab, name):
    """Open ``name`` in JupyterLab with a kernel that is ready; returns ``(page, outside_requests)``."""
    url, token = lab
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.grant_permissions(["microphone"], origin=url.rstrip("/"))
    page = context.new_page()
    outside = []
    page.on("request", lambda req: outside.append(req.url)
            if urlparse(req.url).hostname not in ("127.0.0.1", "localhost")
            and not req.url.startswith(("data:", "blob:")) else None)
    # a workspace of its own per notebook: JupyterLab would otherwise reopen the tabs of the previous test
    page.goto(f"{url}lab/workspaces/{name.split('_')[0]}/tree/{name}?reset&token={token}", timeout=120_000)
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=120_000)
    page.wait_for_function("name => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                           " && window.jupyterapp.shell.currentWidget.context?.path === name"
                           " && window.jupyterapp.shell.currentWidget.sessionContext?.session?.kernel",
                           arg=name, timeout=120_000)
    wait_kernel_idle(page, 120_000)
    return page, outside


def wait_kernel_idle(page, timeout_ms):
    page.wait_for_function("() => window.jupyterapp.shell.currentWidget.sessionContext.kernelDisplayStatus === 'idle'",
                           timeout=timeout_ms)


def run_all(page, timeout_ms=RUN_ALL_LIMIT_MS):
    """Run every cell with JupyterLab's own command and wait until every code cell has run and the kernel is idle."""
    # (not awaited: the command's promise is JupyterLab's business; the wait below watches the cells)
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs'); }")
    page.wait_for_timeout(500)
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    page.wait_for_timeout(1000)
    page.wait_for_function(
        "() => { const p = window.jupyterapp.shell.currentWidget;"
        " const cells = p.content.widgets.filter(c => c.model.type === 'code');"
        " return p.sessionContext.kernelDisplayStatus === 'idle'"
        " && cells.every(c => c.model.executionCount !== null || c.model.sharedModel.getSource().trim() === ''); }",
        timeout=timeout_ms, polling=1000)


def error_outputs(page) -> list[str]:
    return page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
                        ":has-text('Traceback'), .jp-OutputArea-output .ansi-red-fg:has-text('Error')").all_inner_texts()


@contextmanager
def ran(browser, lab, name):
    """Notebook ``name`` open in JupyterLab with every cell run and no error; yields ``(page, outside_requests)``."""
    page, outside = open_notebook(browser, lab, name)
    try:
        run_all(page)
        assert error_outputs(page) == []
        yield page, outside
    finally:
        page.context.close()


def test_record_in_notebook_04_and_see_the_report_card(browser, lab):
    with ran(browser, lab, "04_reference_audio.ipynb") as (page, outside):
        recorder = page.locator(".vcl-recorder").first
        recorder.scroll_into_view_if_needed()
        record = recorder.locator(".vcl-record")
        record.wait_for(timeout=60_000)
        # the report card of the same cell checks the clip: its title is the clip's name, its figure redrawn
        card = page.locator(".jp-Cell", has=page.locator(".vcl-recorder")).first.locator(".vcl-report-card").first
        card.locator("img").first.wait_for(timeout=60_000)
        figure_before = card.locator("img").first.get_attribute("src")
        record.click()
        page.wait_for_timeout(int(RECORD_S * 1000))
        record.click()
        summary = recorder.locator(".vcl-duration")
        expect(summary).to_contain_text("my recording", timeout=90_000)
        m = re.search(r"my recording: ([\d.]+) s", summary.inner_text())
        assert m and RECORD_S - 2.0 <= float(m.group(1)) <= RECORD_S + 2.0, summary.inner_text()
        expect(card.locator(".vcl-verdict")).to_contain_text("my recording", timeout=90_000)
        verdict = card.locator(".vcl-verdict").inner_text()
        assert re.search(r"PASS|WARN|FAIL", verdict), verdict
        assert card.locator("tr.vcl-check").count() >= 5
        page.wait_for_function("([el, src]) => { const img = el.querySelector('img'); return img && img.src !== src; }",
                               arg=[card.element_handle(), figure_before], timeout=90_000)
        wait_kernel_idle(page, 90_000)
        card.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        page.screenshot(path=str(ARTIFACTS / "lab_04_report_card.png"))
        assert outside == [], f"JupyterLab asked the internet for {outside[:3]}"


def test_spectrogram_explorer_slider_changes_the_figure(browser, lab):
    with ran(browser, lab, "01_spectrograms.ipynb") as (page, _):
        explorer = page.locator(".vcl-spectrogram").first
        explorer.scroll_into_view_if_needed()
        figure = explorer.locator(".jp-OutputArea-output img").first
        figure.wait_for(timeout=60_000)
        before = figure.get_attribute("src")
        page.screenshot(path=str(ARTIFACTS / "lab_01_explorer_before.png"))
        slider = explorer.locator(".widget-slider", has_text="Mel bands").locator(".noUi-handle, .ui-slider-handle").first
        # the keyboard, as a learner may use it: no dependence on where the (long) notebook has scrolled to
        slider.scroll_into_view_if_needed()
        slider.focus()
        for _ in range(6):
            slider.press("ArrowLeft")
        page.wait_for_function("([el, src]) => { const img = el.querySelector('.jp-OutputArea-output img');"
                               " return img && img.src !== src; }", arg=[explorer.element_handle(), before],
                               timeout=60_000)
        readout = explorer.locator(".widget-slider", has_text="Mel bands").locator(".widget-readout").inner_text()
        assert int(readout) < 80, readout
        status = explorer.locator(".widget-html").first.inner_text()
        assert "frequency resolution" in status
        page.wait_for_timeout(500)
        page.screenshot(path=str(ARTIFACTS / "lab_01_explorer_after.png"))
