"""A page for people for each problem `type` the API answers with, and their list at `/problems`."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter
from starlette.responses import Response

from api.problems import PROBLEM_TYPES, ProblemError

router = APIRouter(include_in_schema=False)
HTML_TYPE = "text/html; charset=utf-8"
CACHE_CONTROL = "public, max-age=86400"


def _page(title: str, body: str) -> Response:
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)} — problem types of the API</title></head><body><main>{body}</main>"
        '<p><a href="/problems">All problem types</a> · <a href="/docs">API documentation</a> · '
        '<a href="/">Home</a></p></body></html>'
    )
    return Response(html, media_type=HTML_TYPE, headers={"Cache-Control": CACHE_CONTROL})


@router.get("/problems")
def problem_types() -> Response:
    """Every problem type, each linked to its page."""
    items = "".join(
        f'<li><a href="/problems/{name}"><code>/problems/{name}</code></a>: {escape(title)}</li>'
        for name, (title, _) in PROBLEM_TYPES.items()
    )
    intro = (
        "<h1>Problem types</h1><p>Every error of the API is an RFC 9457 "
        "<code>application/problem+json</code> object. Its <code>type</code> is one of these pages, "
        "or <code>about:blank</code> for a plain HTTP error (its <code>title</code> is the HTTP "
        "status).</p>"
    )
    return _page("Problem types", f"{intro}<ul>{items}</ul>")


@router.get("/problems/{name}")
def problem_type(name: str) -> Response:
    """What one problem type means and what to do about it."""
    if name not in PROBLEM_TYPES:
        raise ProblemError(404, f"No problem type '{name[:64]}'. They are listed at /problems.")
    title, explanation = PROBLEM_TYPES[name]
    return _page(title, f"<h1>{escape(title)}</h1><p>{escape(explanation)}</p>")
