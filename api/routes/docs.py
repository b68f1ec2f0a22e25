"""The interactive docs (`/docs`, Swagger UI; `/redoc`, ReDoc) and the favicon, all served from here.

Swagger UI and ReDoc come from the copies the `fastapi-offline` package ships (FastAPI's documented way
of self-hosting the docs' static files), so the docs work without the internet and within our own
Content-Security-Policy: nothing loads from another origin.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import TypedDict

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response

ASSETS_PATH = "/docs/assets"
ASSETS_DIR = files("fastapi_offline").joinpath("static")
FAVICON = Path(__file__).resolve().parents[1] / "static" / "favicon.png"
FAVICON_MAX_AGE = 86400
FAVICON_URL = "/favicon.ico"

router = APIRouter(include_in_schema=False)


class _Viewer(TypedDict):
    openapi_url: str
    title: str


def _viewer(request: Request, name: str) -> _Viewer:
    """What both viewers are given: the OpenAPI document, and the page's title naming the viewer."""
    return {"openapi_url": "/openapi.json", "title": f"{request.app.title} — {name}"}


@router.get("/docs")
def swagger_ui(request: Request) -> Response:
    """Swagger UI over /openapi.json: every operation, tried from the browser."""
    # No badge from the online validator: it would load an image from another origin.
    return get_swagger_ui_html(
        **_viewer(request, "Swagger UI"),
        swagger_js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS_PATH}/swagger-ui.css",
        swagger_favicon_url=FAVICON_URL,
        swagger_ui_parameters={"validatorUrl": None},
    )


@router.get("/redoc")
def redoc(request: Request) -> Response:
    """ReDoc over /openapi.json: the same document as one readable page."""
    return get_redoc_html(
        **_viewer(request, "ReDoc"),
        redoc_js_url=f"{ASSETS_PATH}/redoc.standalone.js",
        redoc_favicon_url=FAVICON_URL,
        with_google_fonts=False,
    )


@router.get(FAVICON_URL)
def favicon() -> Response:
    """The service's icon (a PNG: browsers read it whatever the name says)."""
    headers = {"Cache-Control": f"public, max-age={FAVICON_MAX_AGE}"}
    return Response(FAVICON.read_bytes(), media_type="image/png", headers=headers)


def install_docs(app: FastAPI) -> None:
    """The docs pages, the favicon and the packaged assets they load (the app's own docs turned off)."""
    app.include_router(router)
    app.mount(ASSETS_PATH, StaticFiles(directory=str(ASSETS_DIR)), name="docs-assets")
