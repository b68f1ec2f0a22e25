"""Where the bundled dataset and migrations live: next to the package in a checkout, inside it in a wheel."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    inside_wheel = PACKAGE_DIR / "_bundle" / name
    return inside_wheel if inside_wheel.is_dir() else PACKAGE_DIR.parent / name


DATASET_DIR = _bundled("dataset")
MIGRATIONS_DIR = _bundled("migrations")
