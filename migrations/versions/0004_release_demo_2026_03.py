"""data: release demo-2026-03 (synthetic demonstration release generated to match published totals)

Revision ID: 0004_release_demo_2026_03
Revises: 0003_published_figures
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

RELEASE_ID = "demo-2026-03"

revision: str = "0004_release_demo_2026_03"
down_revision: str | Sequence[str] | None = "0003_published_figures"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # This migration once loaded the demonstration release's record-level cases. Record-level data no
    # longer reaches the public database: 0006 loads the release's publication instead.
    pass


def downgrade() -> None:
    pass
