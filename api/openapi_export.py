"""Write the OpenAPI document the app generates to openapi/openapi.json (a test keeps them equal)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from api.paths import PACKAGE_DIR

COMMITTED = PACKAGE_DIR.parent / "openapi" / "openapi.json"


def openapi_document() -> dict[str, Any]:
    from api.main import create_app
    from api.settings import Settings

    # The document does not depend on the database; an in-memory URL keeps this offline and fast.
    return create_app(Settings(database_url="sqlite://")).openapi()


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write(path: Path = COMMITTED) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(openapi_document()), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write())
