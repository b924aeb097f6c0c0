"""Saving the Settings tab's values together, and the mailbox login its password is kept
under: the administrator only, each change audited, all or none."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from attendance_desk.access.permissions import NotAllowed
from attendance_desk.models import AuditEvent
from attendance_desk.school import settings
from attendance_desk.school.settings_change import change_all, mailbox_account
from tests.helpers.builders import add_staff, build_school

NOW = datetime(2025, 9, 8, 16, 0)


def audited_keys(session: Session) -> list[int | None]:
    return list(session.scalars(select(AuditEvent.entity_id).where(AuditEvent.entity == "setting")))


def test_changed_values_are_stored_and_counted(session: Session) -> None:
    """Two values changed and one left as it was: two stored, two audited, 2 returned."""
    build_school(session)
    pat = add_staff(session, pat="admin")["pat"]
    count = change_all(
        session,
        {
            settings.ATTENDANCE_TARGET.key: 95.5,
            settings.SCHOOL_PHONE.key: "01234 567890",
            settings.REGISTER_MAX_OPEN_MINUTES.key: settings.get(
                session, settings.REGISTER_MAX_OPEN_MINUTES
            ),
        },
        user=pat,
        now=NOW,
    )
    assert count == 2
    assert settings.get(session, settings.ATTENDANCE_TARGET) == 95.5
    assert settings.get(session, settings.SCHOOL_PHONE) == "01234 567890"
    assert len(audited_keys(session)) == 2


def test_a_bad_value_names_the_setting(session: Session) -> None:
    """A target over 100 % is refused with the setting's name."""
    build_school(session)
    pat = add_staff(session, pat="admin")["pat"]
    with pytest.raises(ValueError, match="attendance_target. must be between 50 and 100"):
        change_all(session, {settings.ATTENDANCE_TARGET.key: 120.0}, user=pat, now=NOW)


def test_only_the_administrator_saves_settings(session: Session) -> None:
    """A receptionist is refused before any value is looked at, even an unchanged one."""
    build_school(session)
    rita = add_staff(session, pat="admin", rita="receptionist")["rita"]
    unchanged = {settings.ATTENDANCE_TARGET.key: settings.get(session, settings.ATTENDANCE_TARGET)}
    with pytest.raises(NotAllowed):
        change_all(session, unchanged, user=rita, now=NOW)
    assert audited_keys(session) == []


def test_mailbox_account_is_for_the_administrator(session: Session) -> None:
    """The administrator gets the mailbox's login and server; a receptionist is refused."""
    build_school(session)
    staff = add_staff(session, pat="admin", rita="receptionist")
    for option, value in ((settings.INBOX_USER, "absence@school"), (settings.INBOX_HOST, "imap.x")):
        settings.put(session, option, value, user=staff["pat"], now=NOW)
    assert mailbox_account(session, user=staff["pat"]) == ("absence@school", "imap.x")
    with pytest.raises(NotAllowed):
        mailbox_account(session, user=staff["rita"])
