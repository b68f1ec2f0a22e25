"""data: reload release demo-2026-03, published again with more groups

The publication gains the lengths of prison sentences by gender within an age band or a region (and
the other orientations: `sentences?gender=female&by=region`), and the monthly recognitions and
releases of one gender or one age band (`flows?gender=female`), protected with every earlier table
and with the last publication (all it hid is on the release's suppression list). The 1,156 earlier
answers are unchanged, except that each group's flows bound the month-to-month change of its series
in custody: the series by gender hides 2 more counts and by age band 11, everyone's flows 3 more;
nothing hidden before is shown. As in 0008, the release is unloaded and the committed publication
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
ANSWERS_SHA256 = "72b78a8fb50de5830e85d7087b7f3d74e1855926b382538da50db48d14174179"
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
