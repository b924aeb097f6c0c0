"""Alembic environment: the engine comes from `db.alembic_config`, never from an ini file.

On PostgreSQL every migration runs in one transaction that first takes an advisory lock, so
when two PCs start a new version together one upgrades and the other waits, then finds the
schema already at the head.
"""

from alembic import context
from sqlalchemy import text

from attendance_desk.models import Base

#: Any fixed number: the key of the advisory lock that serialises upgrades on a server.
UPGRADE_LOCK = 0x41_74_74_44

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": UPGRADE_LOCK})
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
