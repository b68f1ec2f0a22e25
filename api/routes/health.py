"""Liveness and readiness, for load balancers and orchestrators."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.exc import SQLAlchemyError

from api.deps import EngineDep, SettingsDep
from api.migrate import current_revision, head_revision, is_newer_than_code
from api.problems import RETRY_AFTER_SECONDS, ProblemError

router = APIRouter(tags=["Health"])


@router.get("/healthz", summary="Is the process alive?")
def healthz() -> dict[str, str]:
    """Answers 200 while the process runs; it does not touch the database."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="Can this instance serve data?",
    responses={503: {"description": "Database unreachable or not migrated to the head revision."}},
)
def readyz(engine: EngineDep, settings: SettingsDep) -> dict[str, str]:
    """200 when the database is reachable and migrated to the head revision (or past it, by a newer
    release's migration job during a rolling deployment), else 503 problem+json."""
    try:
        revision = current_revision(engine)
    except SQLAlchemyError:
        raise ProblemError(
            503,
            "The database is not reachable.",
            problem_type="/problems/not-ready",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        ) from None
    head = head_revision(settings.migrations_dir)
    if revision is not None and (revision == head or is_newer_than_code(revision, settings.migrations_dir)):
        return {"status": "ready", "revision": revision}
    raise ProblemError(
        503,
        f"The database is at revision {revision or 'none'}, the code expects {head}: run the migrations.",
        problem_type="/problems/not-ready",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )
