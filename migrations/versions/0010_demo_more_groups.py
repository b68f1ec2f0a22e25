"""data: reload release demo-2026-03, published again with more groups

The publication gains the lengths of prison sentences by gender within an age band or a region (and
the other orientations: `sentences?gender=female&by=region`), and the monthly recognitions and
releases of one gender (`flows?gender=female`), protected with every earlier table and with the last
publication (all it hid is on the release's suppression list). The 1,156 earlier answers are
unchanged, except that each gender's flows bound the month-to-month change of its series in custody:
the series by gender hides 2 more counts (and its rows for women and for men 1 each); nothing hidden
before is shown. As in 0008, the release is unloaded and the committed publication
loaded, in this migration's transaction.

Revision ID: 0010_demo_more_groups
Revises: 0009_demo_two_groups
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from api.dataset import loader
from api.migrate import migration_dataset_dir

RELEASE_ID = "demo-2026-03"
ANSWERS_SHA256 = "0c528c92feea7ff64c1deb06c881fdcec662df1e4f14e6b2898c539c0f1b9732"
"""The `answers.csv` this migration was written for (a later publication needs a later migration)."""

revision: str = "0010_demo_more_groups"
down_revision: str | Sequence[str] | None = "0009_demo_two_groups"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    loader.reload_release(op.get_bind(), migration_dataset_dir(), RELEASE_ID)


def downgrade() -> None:
    # The earlier publication's files are gone from the dataset: the release stays as loaded.
    pass
