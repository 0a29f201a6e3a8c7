"""The public site's limits (toolkit/ui/limits.py): the settings, and the kernel manager with real kernels.

The browser test (tests/browser/test_public_limits_browser.py) drives the same through Voila and Chromium.
"""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import numpy as np
import pytest

from toolkit.errors import ParameterError
from toolkit.ui import limits


def test_default_max_visitors_fits_the_memory():
    assert limits.default_max_visitors(available_mb=22_000) == 17  # 80 % of 22 GB at 1 GB a kernel
    assert limits.default_max_visitors(available_mb=10_000, kernel_mb=450) == 17
    assert limits.default_max_visitors(available_mb=300) == 1  # never 0: the host asked to serve
    assert limits.default_max_visitors() >= 1  # this machine


def test_cull_interval_keeps_the_promise():
    for timeout_s in (10, 20, 60, 300, 900, 3600):
        interval = limits.cull_interval_s(timeout_s)
        assert 5 <= interval <= 60
        assert interval <= max(5, timeout_s // 4)
    # the browser test's promise: an idle kernel is gone within 20 + 15 s (culler) + 5 s (the page's check)
    assert 20 + limits.cull_interval_s(20) + 5 <= 35


def test_voila_flags():
    flags = limits.voila_flags(max_visitors=4, idle_timeout_s=600)
    assert "--VoilaConfiguration.multi_kernel_manager_class=toolkit.ui.limits.VisitorLimitKernelManager" in flags
    assert "--VisitorLimitKernelManager.max_kernels=4" in flags
    assert "--MappingKernelManager.cull_idle_timeout=600" in flags
    assert "--MappingKernelManager.cull_interval=60" in flags
    assert "--MappingKernelManager.cull_connected=True" in flags  # visitors' tabs stay connected while idle
    assert not any("cull_busy" in f for f in flags)  # a kernel busy with a clone is never culled
    assert "--VoilaConfiguration.allow_template_override=NO" in flags
    assert "--VoilaConfiguration.resources=vcl_idle_timeout_s=600" in flags
    never = limits.voila_flags(max_visitors=0, idle_timeout_s=0)
    assert not any("cull" in f for f in never)
    assert "--VisitorLimitKernelManager.max_kernels=0" in never


@pytest.mark.parametrize("kw, word", [({"max_visitors": -1, "idle_timeout_s": 60}, "--max-visitors"),
                                      ({"max_visitors": 2, "idle_timeout_s": -5}, "--idle-timeout"),
                                      ({"max_visitors": 2, "idle_timeout_s": 3}, "too short")])
def test_voila_flags_refuse_bad_values(kw, word):
    with pytest.raises(ParameterError, match=word):
        limits.voila_flags(**kw)


def test_serve_command_carries_the_limits():
    from toolkit.ui.serve import voila_command

    argv, _ = voila_command(port=9999, max_visitors=3, idle_timeout_s=120)
    assert "--VisitorLimitKernelManager.max_kernels=3" in argv
    assert "--MappingKernelManager.cull_idle_timeout=120" in argv
    plain, _ = voila_command(port=9999)  # tests and benchmarks that do not ask for limits get none
    assert not any("VisitorLimit" in a or "cull" in a for a in plain)


def test_cli_rejects_bad_limits(capsys):
    from toolkit.cli import main

    assert main(["serve", "--max-visitors", "-2"]) == 2
    assert "--max-visitors must be 0 (no limit) or more" in capsys.readouterr().err


def test_lab_full_is_a_503():
    exc = limits.LabFull(in_use=2, max_kernels=2)
    assert exc.status_code == 503 and exc.retry_s == limits.RETRY_S
    assert exc.log_message % exc.args == "the lab is full (2 of 2 places in use)"


def test_kernel_manager_caps_and_cleans_up(tmp_path, monkeypatch):
    """Real kernels: the second start is refused; each kernel gets its own folder, seeded and removed with it."""
    host = tmp_path / "host_cache"
    (host / "voices").mkdir(parents=True)
    np.savez(host / "voices" / "example-voice.npz", x=np.zeros(3))
    monkeypatch.setenv("VOICE_LAB_CACHE", str(host))
    root = tmp_path / "sessions"
    root.mkdir()

    async def scenario():
        km = limits.VisitorLimitKernelManager(max_kernels=1, session_root=str(root))
        kid = await km.start_kernel(kernel_name="python3")
        try:
            folder = root / kid
            assert (folder / "tmp").is_dir()
            assert (folder / "cache" / "voices" / "example-voice.npz").is_file()  # the host's voices, copied
            assert km.places_in_use() == 1
            with pytest.raises(limits.LabFull) as info:
                await km.start_kernel(kernel_name="python3")
            assert info.value.in_use == 1
            assert len(km.list_kernel_ids()) == 1
            # what the kernel sees: its own folder as working directory, temp dir and voice cache
            client = km.get_kernel(kid).client()
            client.start_channels()
            await client.wait_for_ready(timeout=60)
            code = ("import os, tempfile; from toolkit.clone import cache_dir; "
                    "print(os.getcwd(), tempfile.gettempdir(), cache_dir(), sep='|')")
            out = []
            await client.execute_interactive(code, output_hook=lambda m: out.append(m["content"].get("text", "")),
                                             timeout=60)
            client.stop_channels()
            cwd, tmp, cache = "".join(out).strip().split("|")
            assert cwd == str(folder)
            assert tmp == str(folder / "tmp")
            assert cache == str(folder / "cache" / "voices")

            # the idle culler spares a kernel whose page has not connected yet, for CONNECT_GRACE_S more seconds
            km.cull_idle_timeout, km.cull_connected = 1, True  # as `serve` sets them
            km.get_kernel(kid).last_activity -= timedelta(seconds=5)
            await km.cull_kernel_if_idle(kid)
            assert kid in km
            km.notify_connect(kid)
            for _ in range(20):  # a late status message of the execution above may still mark it busy or active
                km.get_kernel(kid).last_activity -= timedelta(seconds=5)
                await km.cull_kernel_if_idle(kid)
                if kid not in km:
                    break
                await asyncio.sleep(0.5)
            assert kid not in km  # culled: connected once, idle, not busy
        finally:
            if kid in km:
                await km.shutdown_kernel(kid)
        assert not (root / kid).exists()
        assert km.places_in_use() == 0
        kid2 = await km.start_kernel(kernel_name="python3")  # the place is free again
        await km.shutdown_all()
        assert not (root / kid2).exists()

    asyncio.run(scenario())
    assert (host / "voices" / "example-voice.npz").is_file()  # the host's cache is left alone


def test_queued_click_is_ignored_visibly():
    from toolkit.ui.app import QUEUED_CLICK_S, AppState

    state = AppState()
    state._clone_ended_at = time.monotonic()  # a clone just ended: this click waited in line behind it
    assert state.on_clone_click() is None
    assert "extra click made while cloning was ignored" in state.status.value
    assert state.progress.states == {}  # nothing ran
    state._clone_ended_at = time.monotonic() - QUEUED_CLICK_S - 0.1  # a fresh click clones (here: says why not)
    assert state.on_clone_click() is None
    assert "there is no reference yet" in state.status.value.lower()


def test_a_click_right_after_a_quick_refusal_is_not_ignored():
    """Only a clone that ran long enough for a click to wait behind it makes the next click suspect."""
    from toolkit.ui.app import AppState

    state = AppState(initial_example="ref_good")
    state.text.value = "   "
    state.on_clone_click()
    assert "text box is empty" in state.status.value
    state.text.value = "This sentence is far too long for one go. " * 20
    state.on_clone_click()  # at once: the refusal took no time, so no click can have waited behind it
    assert "up to 600" in state.status.value and "ignored" not in state.status.value
