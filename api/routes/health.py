"""Liveness and readiness, for load balancers and orchestrators."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.problems import RETRY_AFTER_SECONDS, ProblemError
from api.readiness import NotReady, ReadinessCheck

router = APIRouter(tags=["Health"])


@router.get("/healthz", summary="Is the process alive?")
async def healthz() -> dict[str, str]:
    """Answers 200 while the process runs. It touches neither the database nor the worker threads
    (an async route runs on the event loop), so a stuck database cannot make an instance look dead."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="Can this instance serve data?",
    responses={503: {"description": "Database unreachable, silent, or not migrated to the head revision."}},
)
async def readyz(request: Request) -> dict[str, str]:
    """200 when the database answers within 1.5 s and is migrated to the head revision (or past it, by
    a newer release's migration job during a rolling deployment), else 503 problem+json."""
    readiness: ReadinessCheck = request.app.state.readiness
    try:
        revision = await readiness.revision()
    except NotReady as reason:
        raise ProblemError(
            503,
            str(reason),
            problem_type="/problems/not-ready",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        ) from None
    return {"status": "ready", "revision": revision}
