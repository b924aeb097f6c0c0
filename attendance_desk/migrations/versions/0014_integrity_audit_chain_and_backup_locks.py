"""audit hash chain and backup locks

Revision ID: 0014_integrity
Revises: 0013_confidentiality
Create Date: 2026-12-07 19:07:19
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from attendance_desk.access.audit_chain import GENESIS, HEAD_ID, link_hash

revision: str = "0014_integrity"
down_revision: str | None = "0013_confidentiality"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_APPEND_ONLY = "the audit trail is append-only"


def upgrade() -> None:
    op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    op.create_table(
        "backup_locks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_key", sa.Text(), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(length=19), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("set_by_name", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["set_by_id"], ["users.id"], name=op.f("fk_backup_locks_set_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_backup_locks")),
    )
    # Plain ALTER TABLE ADD COLUMN (no batch rebuild), so the append-only triggers stay.
    op.add_column("audit_events", sa.Column("chain_seq", sa.Integer(), nullable=True))
    op.add_column("audit_events", sa.Column("chain_hash", sa.String(length=64), nullable=True))
    op.create_index("ix_audit_events_chain_seq", "audit_events", ["chain_seq"], unique=True)
    _chain_existing_rows()


def _chain_existing_rows() -> None:
    """Link the rows written before the chain, in the order they were written."""
    bind = op.get_bind()
    postgresql = bind.dialect.name == "postgresql"
    events = sa.table(
        "audit_events",
        sa.column("id", sa.Integer()),
        sa.column("at", sa.DateTime()),
        sa.column("user_id", sa.Integer()),
        *(sa.column(name, sa.String()) for name in ("user_name", "action", "entity")),
        sa.column("entity_id", sa.Integer()),
        sa.column("detail", sa.Text()),
        sa.column("chain_seq", sa.Integer()),
        sa.column("chain_hash", sa.String()),
    )
    rows = bind.execute(sa.select(events).order_by(events.c.id)).all()
    links, previous = [], GENESIS
    for seq, row in enumerate(rows, start=1):
        previous = link_hash(
            previous,
            seq,
            row.at,
            row.user_id,
            row.user_name,
            row.action,
            row.entity,
            row.entity_id,
            row.detail,
        )
        links.append({"row_id": row.id, "seq": seq, "hash": previous})
    if links:
        # the one sanctioned change to audit rows: giving the old ones their links
        if postgresql:
            op.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update")
        else:
            op.execute("DROP TRIGGER audit_events_no_update")
        bind.execute(
            events.update()
            .where(events.c.id == sa.bindparam("row_id"))
            .values(chain_seq=sa.bindparam("seq"), chain_hash=sa.bindparam("hash")),
            links,
        )
        if postgresql:
            op.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update")
        else:
            op.execute(
                "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
                f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END"
            )
    head = sa.table("audit_chain_head", sa.column("id"), sa.column("seq"), sa.column("hash"))
    bind.execute(head.insert().values(id=HEAD_ID, seq=len(links), hash=previous))


def downgrade() -> None:
    op.drop_index("ix_audit_events_chain_seq", table_name="audit_events")
    for column in ("chain_hash", "chain_seq"):  # in place: a rebuild would lose the triggers
        op.execute(f"ALTER TABLE audit_events DROP COLUMN {column}")
    op.drop_table("backup_locks")
    op.drop_table("audit_chain_head")
