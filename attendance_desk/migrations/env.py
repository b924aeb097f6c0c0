"""Alembic environment: the engine comes from `db.alembic_config`, never from an ini file.

The whole upgrade, every revision and the version stamp, is one transaction, so a crash or
a kill part-way leaves the database exactly as it was before. PostgreSQL has transactional
DDL; so has SQLite, once the driver stops committing on its own (`db.make_engine` with
`migrating=True` sends BEGIN itself). On PostgreSQL the transaction first takes an advisory
lock, so when two PCs start a new version together one upgrades and the other waits, then
finds the schema already at the head.
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
        transactional_ddl=True,  # SQLite's too: one transaction for the whole upgrade
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
