"""The workshop hub for real: `voice-lab hub` started as a host would, participants logging in with Chromium.

One hub serves the module (it takes a while to start on a busy machine). Participants log in with their own
names and the workshop password and land on the app with its widgets; a wrong password gets no server; one
participant cannot reach another's server; each participant's app kernel is measured (PSS) after its models
are loaded and it cloned once; Ctrl-C (SIGINT) stops the hub and every server it started.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.browser.hub_server import PASSWORD, start_hub, stop_hub
from tests.browser.voila_server import REPO, chromium_args, free_port

pytestmark = pytest.mark.browser
ARTIFACTS = REPO / "tests" / "_artifacts"
#: What the issue asks of a participant's app kernel with its models loaded (MB, PSS).
KERNEL_PSS_LIMIT_MB = 600
#: Generous limits for a busy shared machine (benchmarks/load_test.py --hub measures the real numbers).
SPAWN_TIMEOUT_MS = 300_000


def _proxy_available() -> bool:
    from toolkit.hub.run import HubError, find_proxy

    try:
        find_proxy()
        return True
    except HubError:
        return False


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    if not _proxy_available():
        pytest.skip("configurable-http-proxy is not installed: run `make hub-deps`")
    ARTIFACTS.mkdir(exist_ok=True)
    state = tmp_path_factory.mktemp("hub") / "state"
    # the host's preparation (as `prepare --fit-examples` does, for the one example the test clones)
    cache = tmp_path_factory.mktemp("host_cache")
    subprocess.run([sys.executable, "-c", "from toolkit.clone import encode_reference, fit; "
                    "from toolkit.media import example; c = example('ref_good'); fit(encode_reference(c.y, sr=c.sr))"],
                   env={**os.environ, "VOICE_LAB_CACHE": str(cache)}, check=True, timeout=900)
    port = free_port()
    proc = start_hub(state, port=port, log_path=ARTIFACTS / "hub.log", env={"VOICE_LAB_CACHE": str(cache)})
    from toolkit.hub.run import separation

    info = {"url": f"http://127.0.0.1:{port}", "state": state, "proc": proc, "stopped": None,
            "separate": separation()[0]}
    try:
        yield info
    finally:
        if proc.poll() is None:
            info["stopped"] = stop_hub(proc)
        _remove_participants(state)


def _remove_participants(state: Path):
    """Delete the system users this hub created (their homes go with the state folder)."""
    home = state / "home"
    for d in home.iterdir() if home.exists() else []:
        subprocess.run(["userdel", d.name], capture_output=True)


@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path, headless=True, args=chromium_args())
        yield b
        b.close()


def login(browser, hub_url: str, name: str, password: str = PASSWORD):
    """A new browser context logged in as ``name``; returns ``(context, page)`` after the login form is sent."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{hub_url}/hub/login", timeout=120_000)
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", password)
    page.click("input[type=submit], button[type=submit]")
    return context, page


def test_hub_refuses_to_start_without_a_password(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "VOICE_LAB_HUB_PASSWORD"}
    r = subprocess.run([sys.executable, "-m", "toolkit", "hub", "--state-dir", str(tmp_path / "s")], cwd=REPO, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "VOICE_LAB_HUB_PASSWORD" in lines[0] and "export" in lines[0], r.stderr


def test_three_participants_land_on_the_app_and_are_separated(hub, browser):
    import psutil

    url = hub["url"]
    pages = {}
    for name in ("ada", "bo", "cy"):
        context, page = login(browser, url, name)
        pages[name] = (context, page)
    for name, (context, page) in pages.items():
        page.wait_for_selector(".vcl-record", timeout=SPAWN_TIMEOUT_MS)
        assert f"/user/{name}/voila/render/notebooks/app.ipynb" in page.url
        lab = page.locator("a.vcl-open-lab")
        assert lab.get_attribute("href").endswith(f"/user/{name}/lab/tree/notebooks")
    pages["ada"][1].screenshot(path=str(ARTIFACTS / "hub_app.png"))

    # one participant cannot reach another's server, nor its files
    ada = pages["ada"][0]
    for path in ("/user/bo/api/status", "/user/bo/api/contents/notebooks", "/user/bo/lab"):
        r = ada.request.get(url + path, max_redirects=0)
        assert r.status != 200, f"ada reached {path}: {r.status}"
    assert ada.request.get(url + "/user/ada/api/contents/notebooks").status == 200
    home_bo = hub["state"] / "home" / "vl-bo"
    assert oct(home_bo.stat().st_mode & 0o777) == "0o700" and (home_bo / "notebooks" / "app.ipynb").exists()
    if hub["separate"]:  # each server runs as its own system user, who alone can open the home
        assert home_bo.owner() == "vl-bo"

    # JupyterLab on ada's own, writable copy of the notebooks
    lab_page = ada.new_page()
    lab_page.goto(url + "/user/ada/lab/tree/notebooks", timeout=120_000)
    lab_page.wait_for_selector(".jp-DirListing-item", timeout=180_000)
    assert ada.request.put(url + "/user/ada/api/contents/notebooks/scratch.txt",
                           data='{"type": "file", "format": "text", "content": "mine"}',
                           headers={"X-XSRFToken": _xsrf(ada)}).status in (200, 201)
    lab_page.close()

    # one clone in ada's app, then every participant kernel's memory
    page = pages["ada"][1]
    from toolkit.media import picker_options

    # the example whose voice the host fitted beforehand (prepare --fit-examples), as a workshop would start
    page.select_option(".vcl-recorder select",
                       label=next(label for label, key in picker_options(synthetic_kind="speech") if key == "ref_good"))
    page.wait_for_selector(".vcl-report-card .vcl-verdict", timeout=180_000)
    page.click(".vcl-clone")
    page.wait_for_selector("audio.vcl-clone-audio[src]", timeout=600_000)
    status = page.locator(".vcl-clone-status").inner_text()
    assert "reused the fitted voice" in status, f"the host's fitted voice was not copied into ada's home: {status}"
    pss = {}  # the app kernels of the hub's servers, by the home they run in
    for p in psutil.Process(hub["proc"].pid).children(recursive=True):
        if "ipykernel" in " ".join(p.cmdline()):
            home = Path(p.cwd()).relative_to(hub["state"] / "home").parts[0]
            pss[home] = p.memory_full_info().pss / 2**20
    print("participant kernels, PSS (MB):", {k: round(v) for k, v in pss.items()})
    assert set(pss) >= {"vl-ada", "vl-bo", "vl-cy"}
    assert pss["vl-ada"] < KERNEL_PSS_LIMIT_MB, pss
    for context, _ in pages.values():
        context.close()


def _xsrf(context) -> str:
    return next((c["value"] for c in context.cookies() if c["name"] == "_xsrf"), "")


def test_wrong_password_gets_no_server(hub, browser):
    context, page = login(browser, hub["url"], "mallory", "not-the-password")
    try:
        page.wait_for_load_state()
        assert "/hub/login" in page.url
        assert "Invalid" in page.content() or "invalid" in page.content()
        assert context.request.get(hub["url"] + "/user/mallory/api/status", max_redirects=0).status != 200
        assert not (hub["state"] / "home" / "vl-mallory").exists()
    finally:
        context.close()


def test_ctrl_c_stops_the_hub_and_its_servers(hub):
    import psutil

    proc = hub["proc"]
    children = psutil.Process(proc.pid).children(recursive=True)
    assert stop_hub(proc) == 0
    hub["stopped"] = 0
    time.sleep(2)
    alive = [p for p in children if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert not alive, [" ".join(p.cmdline()[:3]) for p in alive]
    assert (hub["state"] / "jupyterhub.sqlite").exists() and (hub["state"] / "jupyterhub_cookie_secret").exists()
