"""Time the Voila app as a visitor meets it, in headless Chromium (Playwright + the system Chromium).

Usage::

    .venv/bin/python benchmarks/bench_app.py [--sentences 3] [--record-s 7] [--json]

Serves ``notebooks/app.ipynb`` with Voila on localhost (``tests/browser/voila_server.py``,
with an empty fitted-voice cache so the fit is real), feeds Chromium's fake microphone
with a real English reference from ``../shared/speech`` (or $VOICE_LAB_SPEECH), and prints:

* ``first_widget_s``: page open → the Record button visible (target ≤ 15 s);
* ``fit_s``: Clone clicked on a fresh recording → the clone's audio element (encode + fit + the rest);
* ``reclone_s``: Clone clicked with the voice already fitted → the clone's audio element, per sentence
  and their median (target ≤ 5 s for one sentence);
* the load average before and after (the machine has 2 cores and is shared).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SPEECH = Path(os.environ.get("VOICE_LAB_SPEECH", REPO.parent / "shared" / "speech"))
SENTENCES = [
    "The weather is lovely today.",
    "Please pass me the salt and pepper.",
    "We will meet again at the station tomorrow morning.",
    "Thank you for listening to my cloned voice.",
    "Every good idea starts as a small question.",
]


def load_average() -> tuple:
    return tuple(round(x, 2) for x in os.getloadavg())


def reference_wav(tmp: Path) -> Path:
    """The first English reference of 5 s or more, as 48 kHz WAV for Chromium's fake microphone."""
    from toolkit import load, save

    rows = [r for r in csv.DictReader(open(SPEECH / "manifest.csv", encoding="utf-8"))
            if r["role"] == "ref" and r["language"] == "en" and float(r["duration_s"]) >= 5.0]
    if not rows:
        raise SystemExit(f"no English reference clips in {SPEECH}; set VOICE_LAB_SPEECH")
    y, sr = load(SPEECH / rows[0]["file"], sr=48000)
    return save(tmp / "mic.wav", y, sr=sr)


def clone_and_wait(page, text: str, n_before: int, *, timeout_ms: int) -> float:
    """Fill the text, click Clone, wait for a new clone in the results; seconds from the click."""
    page.fill(".vcl-text textarea", text)
    page.wait_for_timeout(300)  # let the text reach the kernel before the click
    t0 = time.perf_counter()
    page.click(".vcl-clone")
    page.wait_for_function(
        f"document.querySelectorAll('.vcl-history tr').length > {n_before + 1} && "
        "document.querySelector('audio.vcl-clone-audio')?.src",
        timeout=timeout_ms, polling=50)
    return time.perf_counter() - t0


def run(*, n_sentences: int, record_s: float) -> dict:
    from playwright.sync_api import sync_playwright

    from tests.browser.voila_server import CHROMIUM, chromium_args, voila

    out = {"load_average_start": load_average()}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        mic = reference_wav(tmp)
        with voila(env={"VOICE_LAB_CACHE": str(tmp / "cache")}) as url, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=chromium_args(mic))
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            context.grant_permissions(["microphone"], origin=url.rstrip("/"))
            page = context.new_page()
            t0 = time.perf_counter()
            page.goto(url, timeout=120_000)
            page.wait_for_selector(".vcl-record", state="visible", timeout=120_000)
            out["first_widget_s"] = round(time.perf_counter() - t0, 2)

            page.click(".vcl-record")
            page.wait_for_timeout(int(record_s * 1000))
            page.click(".vcl-record")
            page.wait_for_function("document.querySelector('.vcl-clone-status')?.innerText.includes('Reference ready')",
                                   timeout=120_000)
            out["fit_s"] = round(clone_and_wait(page, SENTENCES[0], 0, timeout_ms=300_000), 2)
            out["fit_stage_detail"] = page.locator("[data-stage='fit']").inner_text()
            times = []
            for i, text in enumerate(SENTENCES[1:1 + n_sentences]):
                times.append(round(clone_and_wait(page, text, i + 1, timeout_ms=120_000), 2))
            out["reclone_s"] = times
            out["reclone_median_s"] = round(statistics.median(times), 2)
            browser.close()
    out["load_average_end"] = load_average()
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sentences", type=int, default=3, help="re-clones to time once the voice is fitted")
    p.add_argument("--record-s", type=float, default=7.0, help="seconds to record from the fake microphone")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    args = p.parse_args(argv)
    res = run(n_sentences=args.sentences, record_s=args.record_s)
    if args.json:
        print(json.dumps(res))
        return 0
    print(f"load average at start        {res['load_average_start']}")
    print(f"page open → first widget     {res['first_widget_s']:6.2f} s   (target ≤ 15 s)")
    print(f"clone with a new fit         {res['fit_s']:6.2f} s   ({res['fit_stage_detail'].strip()})")
    print(f"clone, voice already fitted  {res['reclone_median_s']:6.2f} s   median of {res['reclone_s']} "
          "(target ≤ 5 s)")
    print(f"load average at end          {res['load_average_end']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
