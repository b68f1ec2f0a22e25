"""A page for people for each problem `type` the API answers with, and their list at `/problems`."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from api.problems import PROBLEM_EXPLANATIONS, ProblemError
from api.render.templates import render_page
from api.translations import Sentence, text

router = APIRouter(include_in_schema=False)
PROBLEM_TYPES = {
    name: (text(f"problem.title.{name}", "en"), about) for name, about in PROBLEM_EXPLANATIONS.items()
}
"""name → (title, explanation), in English as the pages are."""
HTML_TYPE = "text/html; charset=utf-8"
CACHE_CONTROL = "public, max-age=86400"


def _page(
    heading: str, types: dict[str, tuple[str, str]] | None, problem: tuple[str, str] | None
) -> Response:
    """The list of `types`, or the page of one `problem` (title, explanation)."""
    title = f"{heading} — problem types of the API"
    html = render_page("problems.html", lang="en", title=title, description="", types=types, problem=problem)
    return Response(html, media_type=HTML_TYPE, headers={"Cache-Control": CACHE_CONTROL})


@router.get("/problems")
def problem_types() -> Response:
    """Every problem type, each linked to its page."""
    return _page("Problem types", types=PROBLEM_TYPES, problem=None)


@router.get("/problems/{name}")
def problem_type(name: str) -> Response:
    """What one problem type means and what to do about it."""
    if name not in PROBLEM_TYPES:
        raise ProblemError(404, Sentence("problem.no_problem_type", {"name": name[:64]}))
    return _page(PROBLEM_TYPES[name][0], types=None, problem=PROBLEM_TYPES[name])
