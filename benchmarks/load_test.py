"""Load test of the Voila app on localhost: N visitors at once, each picking a voice and cloning a sentence.

One Voila server (optionally with preheated kernels), one headless Chromium with a
separate browser context per visitor, all visitors started together. For each
visitor it measures the time from opening the page to the first widget, and from
clicking *Clone* to the clone's audio player; it samples the memory of every
kernel the server starts (RSS and PSS, the fair share of pages shared with other
processes) and reports percentiles, errors and the peak memory per kernel.

The example voice is fitted once before the visitors arrive (as ``python -m toolkit
prepare`` does for a demo site), so the test measures serving, not fitting.

    .venv/bin/python benchmarks/load_test.py --visitors 8 [--preheat 8] [--json out.json]
    .venv/bin/python benchmarks/load_test.py --visitors 8 --max-visitors 4   # the public site's limit, see below
    .venv/bin/python benchmarks/load_test.py --hub --visitors 8      # N participants log into `voice-lab hub`
    .venv/bin/python benchmarks/load_test.py --protocol --visitors 4 --preheat 4   # the server's part, no browsers

With ``--hub`` each visitor is a workshop participant: they log into a real hub (``voice-lab hub``, started by
the script with a fresh state folder) with their own name, their server starts and opens on the app, and the
first-widget time runs from sending the login form to the app's first widget. The example voice fitted before
is copied into every participant's home by the hub, as it does for a host's fitted voices.

Exit status 1 when any visitor saw an error or no clone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from sampling import BackgroundSampler  # noqa: E402

EXAMPLE_KEY = "ref_good"
SENTENCES = [
    "Good morning, and welcome to the workshop.",
    "The train to the coast leaves at half past nine.",
    "Please remember to switch off your phone.",
    "A cup of tea would be lovely, thank you.",
    "We will meet again in the big hall after lunch.",
    "This voice was made from a few seconds of speech.",
    "Every clone should be made with the speaker's consent.",
    "The weather is supposed to be bright and mild tomorrow.",
]


class KernelMemory(BackgroundSampler):
    """Samples the memory of a process's descendants (the kernels) in a background thread."""

    def __init__(self, root_pid: int, *, period_s: float = 0.5):
        import psutil

        super().__init__(period_s=period_s)
        self.root = psutil.Process(root_pid)
        self.peak_rss_mb, self.peak_pss_mb, self.parent = {}, {}, {}
        self.total_pss_peak_mb = 0.0

    def sample(self):
        import psutil

        total = 0.0
        for p in self.root.children(recursive=True):
            try:
                if "ipykernel" not in " ".join(p.cmdline()):
                    continue
                m = p.memory_full_info()
                self.parent.setdefault(p.pid, p.ppid())
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            rss, pss = m.rss / 2**20, getattr(m, "pss", m.rss) / 2**20
            self.peak_rss_mb[p.pid] = max(self.peak_rss_mb.get(p.pid, 0.0), rss)
            self.peak_pss_mb[p.pid] = max(self.peak_pss_mb.get(p.pid, 0.0), pss)
            total += pss
        self.total_pss_peak_mb = max(self.total_pss_peak_mb, total)


def process_kind(p) -> str:
    """What a process under this script is: ``kernel``, ``server`` (Voila, the hub, Jupyter servers), ``proxy``,
    ``driver`` (Playwright's), or ``chromium-<type>`` (browser, renderer, gpu-process, NetworkService, ...)."""
    cmd = p.cmdline()
    line = " ".join(cmd)
    if "ipykernel" in line:
        return "kernel"
    if "configurable-http-proxy" in line:
        return "proxy"
    if "run-driver" in line or ("playwright" in line and p.name().startswith("node")):
        return "driver"
    if "chrom" in p.name():
        kind = next((a.split("=", 1)[1] for a in cmd if a.startswith("--type=")), "browser")
        if kind == "utility":
            kind = next((a.split("=", 1)[1].split(".")[-1] for a in cmd if a.startswith("--utility-sub-type=")), kind)
        return f"chromium-{kind}"
    return "server"


class CpuByKind(BackgroundSampler):
    """Samples the CPU time of every process under this script, by :func:`process_kind`, in a background thread.

    :meth:`between` gives the CPU seconds each kind used between two ``time.perf_counter()`` instants (to the
    sampling period): e.g. from the visitors' arrival to the last first widget, what the browsers cost and what
    the server and kernels cost.
    """

    def __init__(self, *, period_s: float = 0.25):
        super().__init__(period_s=period_s)
        self.samples = []  # (perf_counter, {kind: cumulative CPU s})
        self._cpu = {}  # pid -> (kind, last CPU s seen), so processes that end keep their share

    def sample(self):
        import psutil

        for p in psutil.Process().children(recursive=True):
            try:
                kind = self._cpu[p.pid][0] if p.pid in self._cpu else process_kind(p)
                t = p.cpu_times()
            except (psutil.NoSuchProcess, psutil.AccessDenied, IndexError):
                continue
            self._cpu[p.pid] = (kind, t.user + t.system)
        totals = {}
        for kind, cpu in self._cpu.values():
            totals[kind] = totals.get(kind, 0.0) + cpu
        self.samples.append((time.perf_counter(), totals))

    def between(self, t0: float, t1: float) -> dict:
        """CPU seconds per kind from ``t0`` to ``t1`` (the samples nearest before each; processes that started in
        between count from 0)."""
        def at(t):
            before = [s for s in self.samples if s[0] <= t]
            return before[-1][1] if before else {}
        a, b = at(t0), at(t1)
        return {k: round(b[k] - a.get(k, 0.0), 2) for k in sorted(b) if b[k] - a.get(k, 0.0) > 0.005}


def cpu_to_last_first_widget(cpu: CpuByKind, results) -> dict:
    """CPU seconds per process kind from the first visitor's arrival (the browser already open) to the last
    visitor's first widget."""
    seen = [r for r in results if "first_widget_at" in r]
    if not seen:
        return {}
    return cpu.between(min(r["first_widget_at"] - r["first_widget_s"] for r in seen),
                       max(r["first_widget_at"] for r in seen))


def warm_voice_cache(cache: str) -> float:
    """Fit the example voice into ``cache`` as the app would; returns the seconds it took."""
    os.environ["VOICE_LAB_CACHE"] = cache
    from toolkit.clone import encode_reference, fit
    from toolkit.media import example

    clip = example(EXAMPLE_KEY)
    t = time.perf_counter()
    fit(encode_reference(clip.y, sr=clip.sr))
    return time.perf_counter() - t


async def visitor(i: int, browser, url: str, label: str, timeout_ms: int, hub: bool = False) -> dict:
    out = {"visitor": i, "ok": False, "error": ""}
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await context.new_page()
    try:
        if hub:  # a participant: the login form, then their own server opens on the app
            from tests.browser.hub_server import PASSWORD

            await page.goto(f"{url}/hub/login", timeout=timeout_ms)
            await page.fill("input[name=username]", f"participant{i}", timeout=timeout_ms)
            await page.fill("input[name=password]", PASSWORD, timeout=timeout_ms)
            t0 = time.perf_counter()
            await page.click("input[type=submit], button[type=submit]", timeout=timeout_ms)
        else:
            t0 = time.perf_counter()
            await page.goto(url, timeout=timeout_ms)
        await pick_and_clone(page, i, label, timeout_ms, out, t0)
        from tests.browser.voila_server import CLONE_VERDICT

        await page.wait_for_selector(CLONE_VERDICT, timeout=timeout_ms)
        status = await page.locator(".vcl-clone-status").inner_text()
        out["cache_hit"] = "reused" in status or "cache" in status
        await read_errors(page, out)
    except Exception as exc:  # a timeout or a broken page: counted as an error
        out["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    finally:
        await context.close()
    return out


async def read_errors(page, out: dict) -> None:
    """The page's error messages into ``out["error"]``; ``out["ok"]`` when there are none."""
    errors = await page.locator(".vcl-error").all_inner_texts()
    out["error"] = " | ".join(e.strip() for e in errors if e.strip())
    out["ok"] = not out["error"]


async def pick_and_clone(page, i: int, label: str, timeout_ms: int, out: dict, t0: float) -> None:
    """On an opened app page: wait for the widgets, pick the example voice, clone a sentence; times into ``out``."""
    await page.wait_for_selector(".vcl-record", timeout=timeout_ms)
    out["first_widget_at"] = time.perf_counter()
    out["first_widget_s"] = out["first_widget_at"] - t0
    await page.select_option(".vcl-recorder select", label=label)
    await page.wait_for_selector(".vcl-report-card .vcl-verdict", timeout=timeout_ms)
    out["report_card_s"] = time.perf_counter() - t0
    await page.fill(".vcl-text textarea", SENTENCES[i % len(SENTENCES)])
    t1 = time.perf_counter()
    await page.click(".vcl-clone")
    await page.wait_for_selector("audio.vcl-clone-audio[src]", timeout=timeout_ms)
    out["clone_s"] = time.perf_counter() - t1


def processes_cpu_s(procs) -> float:
    """CPU seconds (user + system) the processes ``procs`` have used so far (those that ended count 0)."""
    import psutil

    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


def browser_processes(server_pid: int | None = None) -> list:
    """This script's descendants that are not the server's: Playwright's driver and Chromium."""
    import psutil

    server = set()
    if server_pid is not None:
        sp = psutil.Process(server_pid)
        server = {sp.pid, *(c.pid for c in sp.children(recursive=True))}
    return [c for c in psutil.Process().children(recursive=True) if c.pid not in server]


#: CPU seconds the browsers used in the last run (filled just before they close): on a 2-core test machine the
#: visitors' browsers share the cores with the server, which real visitors' browsers do not.
BROWSER_CPU = {"s": float("nan")}


async def with_browser(chromium: str, work):
    """Launch headless Chromium and return ``await work(browser, label)`` (``label``: the example voice's name)."""
    from playwright.async_api import async_playwright

    from toolkit.media import picker_options

    label = next(label for label, key in picker_options(synthetic_kind="speech") if key == EXAMPLE_KEY)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, headless=True,
                                           args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            return await work(browser, label)
        finally:
            BROWSER_CPU["s"] = processes_cpu_s(browser_processes(BROWSER_CPU.get("server_pid")))
            await browser.close()


async def run_visitors(n: int, url: str, chromium: str, timeout_ms: int, hub: bool = False) -> list:
    return await with_browser(chromium, lambda browser, label: asyncio.gather(
        *(visitor(i, browser, url, label, timeout_ms, hub) for i in range(n))))


def pct(values, q):
    return float(np.percentile(values, q)) if values else float("nan")


def wait_until_idle(procs, *, idle_cpu_percent: float = 5.0, idle_for_s: float = 3.0, timeout_s: float = 300.0):
    """Wait until every process in ``procs`` has used under ``idle_cpu_percent`` of a core for ``idle_for_s``."""
    import psutil

    for p in procs:
        p.cpu_percent(None)
    quiet_since, deadline = None, time.time() + timeout_s
    while time.time() < deadline:
        time.sleep(1.0)
        try:
            busy = max(p.cpu_percent(None) for p in procs)
        except psutil.NoSuchProcess:
            busy = 100.0
        quiet_since = (quiet_since or time.time()) if busy < idle_cpu_percent else None
        if quiet_since and time.time() - quiet_since >= idle_for_s:
            return time.time() - (deadline - timeout_s)
    return timeout_s


def kernel_processes(server) -> list:
    """The kernels (ipykernel processes) under the server process ``server`` (a ``psutil.Process``)."""
    return [p for p in server.children(recursive=True) if "ipykernel" in " ".join(p.cmdline())]


def wait_for_pool(server, n: int, *, timeout_s: float = 300.0) -> None:
    """Wait until ``n`` kernels run under ``server`` (Voila's preheated pool) and have finished the notebook."""
    deadline = time.time() + timeout_s
    while n and len(kernel_processes(server)) < n and time.time() < deadline:
        time.sleep(1)
    wait_until_idle(kernel_processes(server) or [server])  # the kernels run the notebook ahead of the visitors


def run_voila_mode(args, cache):
    """N visitors on one Voila server (optionally with preheated kernels)."""
    import psutil

    from tests.browser.voila_server import CHROMIUM, voila

    log = Path(tempfile.gettempdir()) / "vcl_load_test_voila.log"
    with voila(log_path=log, env={"VOICE_LAB_CACHE": cache}, preheat=args.preheat, timeout_s=180,
               extra_args=["--Voila.log_format=%(asctime)s %(message)s"]) as url:
        server = next(p for p in psutil.Process().children() if "voila" in " ".join(p.cmdline()))
        if args.preheat:  # let the pool fill before the visitors come
            wait_for_pool(server, args.preheat)
        server_procs = lambda: [server, *server.children(recursive=True)]  # noqa: E731
        BROWSER_CPU["server_pid"] = server.pid
        with KernelMemory(server.pid) as mem, CpuByKind() as cpu:
            t, cpu0 = time.perf_counter(), processes_cpu_s(server_procs())
            results = asyncio.run(run_visitors(args.visitors, url, CHROMIUM, int(args.timeout_s * 1000)))
            wall = time.perf_counter() - t
            BROWSER_CPU["server_s"] = processes_cpu_s(server_procs()) - cpu0
            time.sleep(1.0)
    BROWSER_CPU["to_last_first_widget"] = cpu_to_last_first_widget(cpu, results)
    return results, wall, mem


def run_protocol_mode(args, cache):
    """N browserless visitors at once (:mod:`tests.browser.protocol_visitor`): the server's part of the first-widget time."""
    import psutil

    from tests.browser import protocol_visitor
    from tests.browser.voila_server import CHROMIUM, voila

    log = Path(tempfile.gettempdir()) / "vcl_load_test_protocol.log"
    pool = args.preheat + 1 if args.preheat else 0  # one preheated kernel for the browser visit that records the URLs
    with voila(log_path=log, env={"VOICE_LAB_CACHE": cache}, preheat=pool, timeout_s=180) as url:
        server = next(p for p in psutil.Process().children() if "voila" in " ".join(p.cmdline()))
        wait_for_pool(server, pool)

        async def record(browser, label):
            page = await (await browser.new_context()).new_page()
            return await protocol_visitor.record_urls(page, url)

        static_urls = asyncio.run(with_browser(CHROMIUM, record))
        wait_until_idle([server, *kernel_processes(server)])  # the recording visit's kernel is done
        procs = [server, *server.children(recursive=True)]
        with KernelMemory(server.pid) as mem:
            t, cpu0 = time.perf_counter(), processes_cpu_s(procs)
            results = asyncio.run(protocol_visitor.visits(args.visitors, url, static_urls, timeout_s=args.timeout_s))
            wall = time.perf_counter() - t
            server_cpu_s = processes_cpu_s(procs) - cpu0
    for i, r in enumerate(results):
        r["visitor"] = i
        print(f"visitor {i}: ok={r['ok']} page {r.get('page_s', float('nan')):.2f} s, static files "
              f"{r.get('static_s', float('nan')):.2f} s, widget state ({r.get('widgets', 0)} widgets) "
              f"{r.get('widget_state_s', float('nan')):.2f} s, {r['bytes'] / 1e6:.1f} MB {r['error']}")
    ready = [r["widget_state_s"] for r in results if "widget_state_s" in r]
    summary = {"mode": "protocol", "visitors": args.visitors, "preheat": args.preheat, "urls": len(static_urls),
               "errors": sum(not r["ok"] for r in results), "wall_s": wall, "server_cpu_s": server_cpu_s,
               "widget_state_s": {"p50": pct(ready, 50), "p90": pct(ready, 90), "max": max(ready, default=float("nan"))},
               "peak_pss_mb_all_kernels": mem.total_pss_peak_mb,
               "load_average": os.getloadavg(), "cpus": os.cpu_count(), "visitors_detail": results}
    print(f"{args.visitors} browserless visitors at once, preheat={args.preheat}, {summary['errors']} errors: the "
          f"server had sent page, {len(static_urls)} files and widget state after median "
          f"{summary['widget_state_s']['p50']:.2f} s, p90 {summary['widget_state_s']['p90']:.2f} s "
          f"(server and kernels {server_cpu_s:.1f} s CPU)")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1, default=float))
    return 0 if summary["errors"] == 0 else 1


def run_hub_mode(args, cache):
    """N participants logging into a fresh `voice-lab hub` (the example voice copied into their homes)."""
    import subprocess

    from tests.browser.hub_server import start_hub, stop_hub
    from tests.browser.voila_server import CHROMIUM, free_port

    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp) / "hub"
        log = Path(tempfile.gettempdir()) / "vcl_load_test_hub.log"
        proc = start_hub(state, port=free_port(), log_path=log, env={"VOICE_LAB_CACHE": cache},
                         max_servers=args.visitors + 2)
        port = next(a for a in proc.args if a.isdigit())
        try:
            with KernelMemory(proc.pid) as mem, CpuByKind() as cpu:
                t = time.perf_counter()
                results = asyncio.run(run_visitors(args.visitors, f"http://127.0.0.1:{port}", CHROMIUM,
                                                   int(args.timeout_s * 1000), hub=True))
                wall = time.perf_counter() - t
                time.sleep(1.0)
            BROWSER_CPU["to_last_first_widget"] = cpu_to_last_first_widget(cpu, results)
        finally:
            stop_hub(proc)
            for home in (state / "home").iterdir() if (state / "home").exists() else []:
                subprocess.run(["userdel", home.name], capture_output=True)  # system users, if it made any
    return results, wall, mem


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--visitors", type=int, default=8)
    ap.add_argument("--preheat", type=int, default=0, help="Voila preheated kernels (0 = start one per visitor)")
    ap.add_argument("--hub", action="store_true", help="participants log into `voice-lab hub` instead of Voila")
    ap.add_argument("--timeout-s", type=float, default=600.0)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--max-visitors", type=int, default=0, metavar="N",
                    help="serve with `toolkit serve --max-visitors N` and check the limit (see max_visitors_test)")
    ap.add_argument("--protocol", action="store_true",
                    help="visitors without a browser (tests/browser/protocol_visitor.py): the server's part alone")
    ap.add_argument("--cache", default=None, help="fitted-voice cache to use (default: a fresh one, fitted first)")
    args = ap.parse_args(argv)
    if args.max_visitors:
        return max_visitors_test(args)

    with tempfile.TemporaryDirectory() as tmp_cache:
        cache = args.cache or tmp_cache
        fit_s = warm_voice_cache(cache)
        print(f"example voice fitted into the cache in {fit_s:.1f} s", file=sys.stderr)
        if args.protocol:
            return run_protocol_mode(args, cache)
        if args.hub:
            results, wall, mem = run_hub_mode(args, cache)
        else:
            results, wall, mem = run_voila_mode(args, cache)

    first = [r["first_widget_s"] for r in results if "first_widget_s" in r]
    clone = [r["clone_s"] for r in results if "clone_s" in r]
    # a kernel is an ipykernel process whose parent is not itself an ipykernel process (helpers it spawns are not)
    top = [pid for pid, ppid in mem.parent.items() if ppid not in mem.parent]
    rss, pss = [mem.peak_rss_mb[p] for p in top], [mem.peak_pss_mb[p] for p in top]
    summary = {
        "mode": "hub" if args.hub else "voila", "visitors": args.visitors, "preheat": args.preheat, "errors": sum(not r["ok"] for r in results),
        "wall_s": wall, "fit_before_s": fit_s,
        "first_widget_s": {"p50": pct(first, 50), "p90": pct(first, 90), "max": max(first, default=float("nan"))},
        "clone_s": {"p50": pct(clone, 50), "p90": pct(clone, 90), "max": max(clone, default=float("nan"))},
        "kernels": len(rss), "peak_rss_mb_per_kernel": {"median": pct(rss, 50), "max": max(rss, default=0.0)},
        "peak_pss_mb_per_kernel": {"median": pct(pss, 50), "max": max(pss, default=0.0)},
        "peak_pss_mb_all_kernels": mem.total_pss_peak_mb, "peak_rss_mb_each": sorted(rss), "load_average": os.getloadavg(), "cpus": os.cpu_count(),
        "visitors_detail": results,
    }
    for r in results:
        print(f"visitor {r['visitor']}: ok={r['ok']} first widget {r.get('first_widget_s', float('nan')):.1f} s, "
              f"clone {r.get('clone_s', float('nan')):.1f} s {r['error']}")
    print(f"{args.visitors} {'participants on the hub' if args.hub else 'visitors'}, {summary['errors']} errors, "
          f"{wall:.0f} s in all, preheat={args.preheat}")
    print(f"first widget: median {summary['first_widget_s']['p50']:.1f} s, p90 {summary['first_widget_s']['p90']:.1f} s")
    print(f"click → clone: median {summary['clone_s']['p50']:.1f} s, p90 {summary['clone_s']['p90']:.1f} s, "
          f"max {summary['clone_s']['max']:.1f} s")
    print(f"peak memory per kernel: RSS median {summary['peak_rss_mb_per_kernel']['median']:.0f} MB "
          f"(max {summary['peak_rss_mb_per_kernel']['max']:.0f}), PSS median "
          f"{summary['peak_pss_mb_per_kernel']['median']:.0f} MB; all kernels together {mem.total_pss_peak_mb:.0f} MB PSS")
    if "server_s" in BROWSER_CPU:
        summary["cpu_s"] = {"browsers": BROWSER_CPU["s"], "server_and_kernels": BROWSER_CPU["server_s"]}
        print(f"CPU during the visits: browsers {BROWSER_CPU['s']:.0f} s, server and kernels "
              f"{BROWSER_CPU['server_s']:.0f} s ({os.cpu_count()} cores; real visitors' browsers run elsewhere)")
    if BROWSER_CPU.get("to_last_first_widget"):
        summary["cpu_to_last_first_widget_s"] = BROWSER_CPU["to_last_first_widget"]
        print("CPU from the visitors' arrival to the last first widget: "
              + ", ".join(f"{k} {v:.1f} s" for k, v in BROWSER_CPU["to_last_first_widget"].items()))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1, default=float))
    return 0 if summary["errors"] == 0 and len(clone) == args.visitors else 1


# --- the public site's visitor limit (`--max-visitors N`) -------------------------------------------------------------


async def _limited_visitor(i: int, browser, url: str, label: str, timeout_ms: int, leave: asyncio.Event,
                           settled: asyncio.Event) -> dict:
    """One visitor: either served (pick the example, clone, leave when told) or told to wait (then wait to get in)."""
    out = {"visitor": i, "ok": False, "error": "", "served": False, "told_to_wait": False}
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await context.new_page()
    try:
        t0 = time.perf_counter()
        response = await page.goto(url, timeout=timeout_ms)
        if response.status == 503:
            await page.wait_for_selector("text=The lab is full right now", timeout=10_000)
            out["told_to_wait"], out["full_page_s"] = True, time.perf_counter() - t0
            settled.set()
            await leave.wait()  # the served visitors are leaving: this page retries by itself every 30 s
            t1 = time.perf_counter()
            await page.wait_for_selector(".vcl-record", timeout=timeout_ms)
            out["got_in_after_s"] = time.perf_counter() - t1
        else:
            out["served"] = True
            await pick_and_clone(page, i, label, timeout_ms, out, t0)
            settled.set()
            await leave.wait()
        await read_errors(page, out)
    except Exception as exc:  # a timeout or a broken page: counted as an error
        out["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    finally:
        settled.set()
        await page.close(run_before_unload=True)  # as a tab closes: Voila's page asks the server to end its kernel
        await asyncio.sleep(1.0)
        await context.close()
    return out


async def _limited_run(n: int, url: str, chromium: str, timeout_ms: int) -> list:
    """All visitors at once; once each is served and has cloned, or has been told to wait, the served ones leave."""

    async def work(browser, label):
        leave = asyncio.Event()
        settled = [asyncio.Event() for _ in range(n)]
        tasks = [asyncio.ensure_future(_limited_visitor(i, browser, url, label, timeout_ms, leave, settled[i]))
                 for i in range(n)]
        await asyncio.gather(*(e.wait() for e in settled))
        leave.set()
        return list(await asyncio.gather(*tasks))

    return await with_browser(chromium, work)


def max_visitors_test(args) -> int:
    """``--visitors`` visitors at once against ``toolkit serve --max-visitors N``.

    Expected: N served (each picks the example voice and clones a sentence), the others see "the lab is full"
    within 10 s and no kernel; at most N kernels run at any moment (their total PSS is sampled all along); when
    the served visitors leave, the waiting ones get in by themselves (the full page retries every 30 s).
    Exit status 1 when any of that fails.
    """
    import subprocess

    from tests.browser.voila_server import CHROMIUM, free_port, wait_until_serving

    limit = args.max_visitors
    port = int(os.environ.get("LOAD_TEST_PORT", 0)) or free_port()
    with tempfile.TemporaryDirectory() as cache:
        fit_s = warm_voice_cache(cache)  # the host's fitted example voice: copied into every visitor's session
        print(f"example voice fitted into the host's cache in {fit_s:.1f} s", file=sys.stderr)
        log_path = Path(tempfile.gettempdir()) / "vcl_load_test_limits.log"
        with open(log_path, "w") as log:
            server = subprocess.Popen([sys.executable, "-m", "toolkit", "serve", f"--port={port}",
                                       f"--max-visitors={limit}", "--idle-timeout=600"], cwd=REPO, stdout=log,
                                      stderr=subprocess.STDOUT, env={**os.environ, "VOICE_LAB_CACHE": cache})
            try:
                wait_until_serving(server, f"http://127.0.0.1:{port}/", timeout_s=120)
                counts = []
                with KernelMemory(server.pid) as mem:
                    stop = threading.Event()

                    def count_kernels():
                        while not stop.is_set():
                            counts.append(len(_top_kernels(server.pid)))
                            stop.wait(0.5)

                    counter = threading.Thread(target=count_kernels, daemon=True)
                    counter.start()
                    t = time.perf_counter()
                    results = asyncio.run(_limited_run(args.visitors, f"http://127.0.0.1:{port}/", CHROMIUM,
                                                       int(args.timeout_s * 1000)))
                    wall = time.perf_counter() - t
                    stop.set()
                    counter.join()
            finally:
                server.terminate()
                server.wait(timeout=30)
    top = [pid for pid, ppid in mem.parent.items() if ppid not in mem.parent]
    pss = [mem.peak_pss_mb[p] for p in top]
    served = [r for r in results if r["served"]]
    waited = [r for r in results if r["told_to_wait"]]
    one_kernel_mb = max(pss, default=0.0)
    summary = {
        "visitors": args.visitors, "max_visitors": limit, "served": len(served), "told_to_wait": len(waited),
        "errors": sum(not r["ok"] for r in results), "wall_s": wall, "peak_kernels_at_once": max(counts, default=0),
        "kernels_started": len(top), "peak_pss_mb_all_kernels": mem.total_pss_peak_mb,
        "peak_pss_mb_per_kernel": {"median": pct(pss, 50), "max": one_kernel_mb},
        "full_page_s": {"max": max((r["full_page_s"] for r in waited), default=float("nan"))},
        "first_widget_s": {"p50": pct([r["first_widget_s"] for r in served], 50),
                           "max": max((r["first_widget_s"] for r in served), default=float("nan"))},
        "clone_s": {"p50": pct([r["clone_s"] for r in served if "clone_s" in r], 50)},
        "waiting_got_in_after_s": {"max": max((r.get("got_in_after_s", float("nan")) for r in waited),
                                              default=float("nan"))},
        "load_average": os.getloadavg(), "cpus": os.cpu_count(), "visitors_detail": results,
    }
    for r in results:
        what = "served" if r["served"] else "told to wait" if r["told_to_wait"] else "neither"
        print(f"visitor {r['visitor']}: {what}, ok={r['ok']} {r['error']}")
    print(f"{args.visitors} visitors against --max-visitors {limit}: {len(served)} served, {len(waited)} told to "
          f"wait (full page in at most {summary['full_page_s']['max']:.1f} s), {summary['errors']} errors, "
          f"{wall:.0f} s in all")
    print(f"kernels: at most {summary['peak_kernels_at_once']} at once ({len(top)} started in all); all kernels "
          f"together at most {mem.total_pss_peak_mb:.0f} MB PSS = {mem.total_pss_peak_mb / max(one_kernel_mb, 1):.2f} "
          f"× the biggest kernel's {one_kernel_mb:.0f} MB")
    print(f"served: first widget median {summary['first_widget_s']['p50']:.1f} s, clone median "
          f"{summary['clone_s']['p50']:.1f} s; the waiting got in at most "
          f"{summary['waiting_got_in_after_s']['max']:.1f} s after the served ones left")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1, default=float))
    ok = (len(served) == min(limit, args.visitors) and len(waited) == args.visitors - len(served)
          and summary["errors"] == 0 and summary["peak_kernels_at_once"] <= limit
          and mem.total_pss_peak_mb <= limit * one_kernel_mb * 1.05)
    return 0 if ok else 1


def _top_kernels(server_pid: int) -> list:
    import psutil

    procs = {}
    for p in psutil.Process(server_pid).children(recursive=True):
        try:
            if "ipykernel" in " ".join(p.cmdline()):
                procs[p.pid] = p.ppid()
        except psutil.Error:
            continue
    return [pid for pid, ppid in procs.items() if ppid not in procs]


if __name__ == "__main__":
    sys.exit(main())
