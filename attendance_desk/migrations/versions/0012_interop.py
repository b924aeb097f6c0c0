"""pupils: admission number, pupil premium, EHC plan and EAL

Revision ID: 0012_interop
Revises: 0011
Create Date: 2026-11-26 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_interop"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pupils", schema=None) as batch_op:
        batch_op.add_column(sa.Column("admission_number", sa.String(length=20), nullable=True))
        for name in ("pupil_premium", "ehcp", "eal"):
            batch_op.add_column(
                sa.Column(name, sa.Boolean(), server_default=sa.false(), nullable=False)
            )
        batch_op.create_index("ix_pupils_admission_number", ["admission_number"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("pupils", schema=None) as batch_op:
        batch_op.drop_index("ix_pupils_admission_number")
        for name in ("eal", "ehcp", "pupil_premium", "admission_number"):
            batch_op.drop_column(name)
