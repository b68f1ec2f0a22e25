"""What the chart gallery and the chart pages share: their style sheet and policy pieces (their layout is
api/templates/base.html).

One inline style sheet (api/templates/assets/pages.css), allowed by its hash; the colours follow the
reader's light or dark setting.
"""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import urlencode

from api.render.templates import asset

STYLE = asset("pages.css")


def sha256_source(source: str) -> str:
    """A CSP source allowing one inline block by its SHA-256."""
    digest = base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def url(path: str, params: list[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(params)}" if params else path
