"""The ceiling of this stack: a bare Starlette app answering the API's recorded bytes from memory.

Run as `uvicorn bench.bare_app:app` with BENCH_RECORDED naming the JSON file that
`bench.serving.record` wrote: for each URL, the status, headers and body the API answered.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


def _load(path: Path) -> dict[str, tuple[bytes, dict[str, str]]]:
    recorded = json.loads(path.read_text())
    return {url: (base64.b64decode(item["body"]), dict(item["headers"])) for url, item in recorded.items()}


RESPONSES = _load(Path(os.environ["BENCH_RECORDED"]))


async def fixed(request: Request) -> Response:
    query = request.url.query
    body, headers = RESPONSES[f"{request.url.path}?{query}" if query else request.url.path]
    if request.headers.get("if-none-match") == headers.get("etag"):
        names = ("etag", "cache-control", "vary")
        kept: dict[str, str] = {name: headers[name] for name in names if name in headers}
        return Response(status_code=304, headers=kept)
    return Response(body, headers=headers)


app = Starlette(routes=[Route(path, fixed) for path in sorted({url.split("?")[0] for url in RESPONSES})])
