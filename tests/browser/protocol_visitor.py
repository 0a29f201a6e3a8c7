"""A visitor without a browser: what the app's page asks the server for, replayed over HTTP and the kernel websocket.

A real visitor's browser runs on the visitor's own machine; on a 2-core test machine four headless Chromiums share
the cores with the server, and their own work (about 2.5 s of JavaScript each for Voila's 5.5 MB front end) then
dominates the load test's first-widget time. This module measures the server's part alone: for one visitor it

1. fetches the page (with preheated kernels: the page of an already-executed kernel),
2. fetches every other URL a real browser fetched for the page (recorded once by :func:`record_urls`, with that
   visit's kernel id replaced by this visit's), six at a time as browsers do,
3. connects to the kernel's websocket, asks for ``kernel_info`` and opens ipywidgets' control comm with
   ``request_states``, as the page's widget manager does before it draws the first widget,

and returns the time until the kernel's ``update_states`` reply has arrived in full: the moment the server has
given the page everything it needs to draw its widgets.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid

CONFIG_RE = re.compile(r'<script id="jupyter-config-data" type="application/json">\s*(\{.*?\})\s*</script>', re.S)
#: ipywidgets' control protocol (``ipywidgets._version.__control_protocol_version__``; the kernel checks the major).
CONTROL_VERSION = "1.0.0"
#: Browsers open at most 6 connections to one host (HTTP/1.1).
CONNECTIONS = 6


async def record_urls(page, url: str) -> list[str]:
    """Open ``url`` in a Playwright ``page`` until the app's first widget; the other URLs it fetched (GET)."""
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url) if r.method == "GET" and not r.url.startswith("ws") else None)
    await page.goto(url)
    await page.wait_for_selector(".vcl-record", timeout=120_000)
    config = CONFIG_RE.search(await page.content())
    kernel_id = json.loads(config.group(1))["kernelId"] if config else None
    urls = [u for u in dict.fromkeys(seen) if u.rstrip("/") != url.rstrip("/") and u.startswith("http")]
    return [u.replace(kernel_id, "{kernel_id}") if kernel_id else u for u in urls]


#: The kernel websocket protocol JupyterLab's front end (and so Voila's) asks for: binary frames, parts as sent.
SUBPROTOCOL = "v1.kernel.websocket.jupyter.org"


def _message(msg_type: str, content: dict, session: str, channel: str = "shell", metadata=None) -> bytes:
    """One client message in the v1 framing: part count and offsets (little-endian uint64), channel, JSON parts."""
    header = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": session, "username": "visitor",
              "version": "5.3", "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    parts = [channel.encode()] + [json.dumps(p).encode() for p in (header, {}, metadata or {}, content)]
    offsets = [8 * (len(parts) + 2)]
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    return b"".join(n.to_bytes(8, "little") for n in [len(offsets), *offsets]) + b"".join(parts)


def _decode(frame: bytes) -> dict:
    """One server frame in the v1 framing: the message's header and content (buffers are left out)."""
    n = int.from_bytes(frame[:8], "little")
    offsets = [int.from_bytes(frame[8 * (i + 1): 8 * (i + 2)], "little") for i in range(n)]
    parts = [frame[offsets[i]:offsets[i + 1]] for i in range(n - 1)]
    header, content = json.loads(parts[1]), json.loads(parts[4])
    return {"channel": parts[0].decode(), "msg_type": header.get("msg_type"), "content": content}


async def visit(url: str, static_urls: list[str], *, timeout_s: float = 120.0) -> dict:
    """One browserless visit of the app at ``url``; seconds to the page, the static files and the widget state."""
    from tornado.httpclient import AsyncHTTPClient, HTTPRequest
    from tornado.websocket import websocket_connect

    client = AsyncHTTPClient(force_instance=True, max_clients=CONNECTIONS)
    out: dict = {"ok": False, "error": "", "bytes": 0}
    t0 = time.perf_counter()
    try:
        page = await client.fetch(url, request_timeout=timeout_s)
        out["page_s"] = time.perf_counter() - t0
        html = page.body.decode()
        out["bytes"] += len(page.body)
        kernel_id = json.loads(CONFIG_RE.search(html).group(1))["kernelId"]
        cookie = "; ".join(c.split(";", 1)[0] for c in page.headers.get_list("Set-Cookie"))
        headers = {"Cookie": cookie} if cookie else {}

        async def get(u):
            r = await client.fetch(HTTPRequest(u.replace("{kernel_id}", kernel_id), headers=headers,
                                               request_timeout=timeout_s), raise_error=False)
            out["bytes"] += len(r.body or b"")
            return r.code

        codes = await asyncio.gather(*(get(u) for u in static_urls))
        out["static_s"] = time.perf_counter() - t0
        out["static_errors"] = sum(c >= 400 for c in codes)

        session = uuid.uuid4().hex
        ws_url = re.sub(r"^http", "ws", url.rstrip("/")) + f"/api/kernels/{kernel_id}/channels?session_id={session}"
        ws = await websocket_connect(HTTPRequest(ws_url, headers=headers, request_timeout=timeout_s),
                                     max_message_size=1 << 30, subprotocols=[SUBPROTOCOL])
        # the server takes messages once it has connected the kernel's channels, which it tells by a first status
        await asyncio.wait_for(ws.read_message(), timeout=timeout_s)
        ws.write_message(_message("kernel_info_request", {}, session), binary=True)
        comm_id = uuid.uuid4().hex
        ws.write_message(_message("comm_open", {"comm_id": comm_id, "target_name": "jupyter.widget.control",
                                                "data": {}}, session, metadata={"version": CONTROL_VERSION}), binary=True)
        ws.write_message(_message("comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}}, session,
                                  metadata={"version": CONTROL_VERSION}), binary=True)
        deadline = time.perf_counter() + timeout_s
        while time.perf_counter() < deadline:
            frame = await asyncio.wait_for(ws.read_message(), timeout=max(deadline - time.perf_counter(), 0.1))
            if frame is None:
                raise ConnectionError("the kernel's websocket closed")
            msg = _decode(frame)
            data = msg.get("content", {}).get("data") or {}
            if msg.get("msg_type") == "comm_msg" and data.get("method") == "update_states":
                out["widgets"] = len(data.get("states", {}))
                break
        else:
            raise TimeoutError("no widget state within the timeout")
        out["widget_state_s"] = time.perf_counter() - t0
        out["ok"] = out["static_errors"] == 0
        ws.close()
    except Exception as exc:  # counted as an error, like a broken page in the browser test
        out["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    finally:
        client.close()
    return out


async def visits(n: int, url: str, static_urls: list[str], *, timeout_s: float = 120.0) -> list[dict]:
    """``n`` browserless visitors arriving at once."""
    return list(await asyncio.gather(*(visit(url, static_urls, timeout_s=timeout_s) for _ in range(n))))
