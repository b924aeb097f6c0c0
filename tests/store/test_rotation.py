"""Properties of the rotation: which backups are kept, whatever the pattern of backups."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from attendance_desk.store.backup import Retention, backups_to_keep

NOW = datetime(2026, 3, 1, 12, 0)
#: Moments over three years before NOW (and a few after, from a clock that was wrong).
STAMPS = st.lists(
    st.datetimes(min_value=datetime(2023, 3, 1), max_value=NOW + timedelta(days=3)),
    max_size=120,
)
RETENTIONS = st.builds(
    Retention,
    daily=st.integers(0, 10),
    weekly=st.integers(0, 6),
    monthly=st.integers(0, 14),
)


def _past(stamps: list[datetime]) -> list[datetime]:
    return sorted({s for s in stamps if s <= NOW}, reverse=True)


@given(STAMPS, RETENTIONS)
def test_keeps_only_backups_that_exist_and_never_too_many(
    stamps: list[datetime], retention: Retention
) -> None:
    """The kept set is drawn from the backups and bounded by the retention (future aside)."""
    kept = backups_to_keep(stamps, NOW, retention)
    assert kept <= set(stamps)
    limit = max(1, retention.daily + retention.weekly + retention.monthly)
    assert len({s for s in kept if s <= NOW}) <= limit


@given(STAMPS, RETENTIONS)
def test_the_newest_and_any_future_backup_are_always_kept(
    stamps: list[datetime], retention: Retention
) -> None:
    """However short the retention, the newest backup survives, and so does a future-dated one."""
    kept = backups_to_keep(stamps, NOW, retention)
    past = _past(stamps)
    if past:
        assert past[0] in kept
    assert {s for s in stamps if s > NOW} <= kept


@given(STAMPS)
def test_each_of_the_last_seven_days_keeps_its_newest(stamps: list[datetime]) -> None:
    """For each of the 7 latest days with a backup, the newest backup of that day is kept."""
    kept = backups_to_keep(stamps, NOW)
    past = _past(stamps)
    days = sorted({s.date() for s in past}, reverse=True)[:7]
    for day in days:
        assert max(s for s in past if s.date() == day) in kept


@given(STAMPS)
def test_each_of_the_last_four_weeks_and_twelve_months_is_covered(stamps: list[datetime]) -> None:
    """The 4 latest ISO weeks and 12 latest months with backups each keep their newest."""
    kept = backups_to_keep(stamps, NOW)
    past = _past(stamps)
    for period, count in ((lambda s: s.isocalendar()[:2], 4), (lambda s: (s.year, s.month), 12)):
        latest = sorted({period(s) for s in past}, reverse=True)[:count]
        for key in latest:
            assert max(s for s in past if period(s) == key) in kept


@given(STAMPS)
def test_never_two_kept_on_one_day(stamps: list[datetime]) -> None:
    """Only the newest backup of a day is ever kept (apart from future-dated ones)."""
    kept = sorted(s for s in backups_to_keep(stamps, NOW) if s <= NOW)
    days = [s.date() for s in kept]
    assert len(days) == len(set(days))


@given(STAMPS, RETENTIONS)
def test_rotating_twice_changes_nothing(stamps: list[datetime], retention: Retention) -> None:
    """Rotation is idempotent: what it keeps, it keeps again next time."""
    kept = backups_to_keep(stamps, NOW, retention)
    assert backups_to_keep(kept, NOW, retention) == kept


@given(STAMPS, st.integers(1, 30))
def test_a_new_backup_never_loses_todays_or_the_newest(stamps: list[datetime], hours: int) -> None:
    """Adding a newer backup keeps it, and keeps the previous newest if that was on another day."""
    later = NOW + timedelta(hours=hours)
    kept = backups_to_keep(stamps, NOW)
    after = backups_to_keep([*kept, later], later)
    assert later in after
    previous = sorted(kept, reverse=True)[:1]
    if previous and previous[0].date() != later.date():
        assert previous[0] in after
