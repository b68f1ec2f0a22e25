"""Where the bundled dataset and migrations live: next to the package in a checkout, inside it in a wheel."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    inside_wheel = PACKAGE_DIR / "_bundle" / name
    return inside_wheel if inside_wheel.is_dir() else PACKAGE_DIR.parent / name


DATASET_DIR = _bundled("dataset")
MIGRATIONS_DIR = _bundled("migrations")
DEMO_RECORDS_DIR = DATASET_DIR / "demo"
"""Record-level folders of the synthetic demonstration releases (the generator's output, the input of
`publish`); a checkout has them, a wheel or an image does not."""
