"""Serving the app (toolkit/ui/serve.py, toolkit/ui/voila_app.py): a real Voila server, no browser.

The browser tests (tests/browser/) open the same server in Chromium; here only what a browser's requests get.
"""

from __future__ import annotations

import gzip
import sys
import urllib.request
from pathlib import Path

from tests.browser.voila_server import voila


def _get(url: str, *, gzip_ok: bool):
    req = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.headers, r.read()


def _largest_static_script() -> str:
    """Name of the largest of Voila's own JavaScript chunks (which ones there are depends on Voila's build)."""
    static = Path(sys.prefix) / "share" / "jupyter" / "voila" / "templates" / "base" / "static"
    return max(static.glob("*.js"), key=lambda p: p.stat().st_size).name


def test_voila_alone_compresses_its_front_end(tmp_path):
    names = ["voila.js", _largest_static_script()]
    with voila(log_path=tmp_path / "voila.log", env={"VOICE_LAB_CACHE": str(tmp_path / "cache")}) as url:
        for name in names:
            plain_headers, plain = _get(url + "voila/static/" + name, gzip_ok=False)
            assert "Content-Encoding" not in plain_headers  # a client that does not ask for gzip gets plain bytes
            headers, body = _get(url + "voila/static/" + name, gzip_ok=True)
            assert headers.get("Content-Encoding") == "gzip", (name, dict(headers))
            assert gzip.decompress(body) == plain
            assert len(body) < 0.5 * len(plain), (name, len(body), len(plain))
