"""People who use the app, and the append-only audit trail of what they did."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from attendance_desk.models.base import Base


class User(Base):
    """A member of staff; disabled, never deleted, so history keeps its names."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    position: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(30))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<User {self.username} ({self.role})>"


class AuditEvent(Base):
    """Who did what to which record, and when; rows are only ever added."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_entity", "entity", "entity_id"),
        Index("ix_audit_events_chain_seq", "chain_seq", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    user_name: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None]
    detail: Mapped[str] = mapped_column(Text, default="")
    #: Its place in the hash chain (1, 2, 3 … in the order written) and the chain's hash
    #: up to and including it (`audit_chain`); set as the row is written.
    chain_seq: Mapped[int | None]
    chain_hash: Mapped[str | None] = mapped_column(String(64))

    def __repr__(self) -> str:
        return f"<AuditEvent {self.at:%Y-%m-%d %H:%M} {self.user_name} {self.action} {self.entity}>"


class AuditChainHead(Base):
    """The newest link of the audit trail's hash chain: one row, locked by each writer so
    that two PCs writing at once still make one chain, not two."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)
    hash: Mapped[str] = mapped_column(String(64))

    def __repr__(self) -> str:
        return f"<AuditChainHead {self.seq} {self.hash[:12]}>"


class LoginFailure(Base):
    """A wrong password for a typed user name (real or not), counted for the slow-down."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_username_at", "username", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime]

    def __repr__(self) -> str:
        return f"<LoginFailure {self.username!r} {self.at:%Y-%m-%d %H:%M:%S}>"
