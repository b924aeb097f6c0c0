"""The school's profile as one record: who it is, its year, register times, target and preset.

The first-run wizard fills a `SchoolProfile` page by page and `set_up` stores it together
with the first administrator in one transaction, so a wizard closed half-way leaves nothing
behind. The rules stay where they live: `school_setup` (the school record, year groups and
register windows), `calendar_store` (terms and closures), `settings` (target and preset),
`auth` (the administrator). This module only orders them and says which part of the
profile a refusal belongs to (`ProfileError.part`), so a screen can send the person back to
the right page. `check` runs the same steps and rolls them back: a dry run, not a copy.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Literal

from sqlalchemy.orm import Session

from attendance_desk.access import audit, auth
from attendance_desk.access.permissions import Permission, Role, require
from attendance_desk.models import School, User
from attendance_desk.school import calendar_store, settings
from attendance_desk.school import followup_policy as policy
from attendance_desk.school import setup as school_setup
from attendance_desk.school.calendar import Period
from attendance_desk.school.errors import SchoolError
from attendance_desk.school.register_times import Window
from attendance_desk.school.term_dates import academic_year_of, typical_closures, typical_terms

#: The parts of a profile, in the order a person fills them in.
Part = Literal["school", "terms", "register_times", "target", "preset", "administrator"]

#: Year groups sharing register times, as the office thinks of them.
PHASE_GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "nursery": ("Nursery", ("N1", "N2")),
    "reception": ("Reception", ("R",)),
    "ks1": ("Years 1 and 2", ("1", "2")),
    "ks2": ("Years 3 to 6", ("3", "4", "5", "6")),
    "secondary": ("Years 7 to 13", tuple(str(n) for n in range(7, 14))),
}
#: The school's phase and the groups of years it teaches.
PHASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "primary": ("Primary (nursery to Year 6)", ("nursery", "reception", "ks1", "ks2")),
    "secondary": ("Secondary (Years 7 to 13)", ("secondary",)),
    "all_through": ("All-through (nursery to Year 13)", tuple(PHASE_GROUPS)),
}
#: (field, label, digits) of the DfE identifiers; each may be left blank.
IDENTIFIERS = (
    ("urn", "URN", 6),
    ("la_number", "LA number", 3),
    ("estab_number", "establishment number", 4),
)


class ProfileError(SchoolError):
    """A profile that cannot be stored; `part` is where to correct it."""

    def __init__(self, part: Part, message: str) -> None:
        super().__init__(message)
        self.part = part


@dataclass(frozen=True, slots=True)
class PhaseTimes:
    """The morning and afternoon registers of one group of years (`PHASE_GROUPS` key)."""

    group: str
    am: Window
    pm: Window

    @property
    def label(self) -> str:
        return PHASE_GROUPS[self.group][0]


@dataclass(frozen=True, slots=True)
class SchoolProfile:
    """Everything the welcome wizard asks about the school, as one validated record."""

    name: str
    urn: str
    la_number: str
    estab_number: str
    phase: str
    terms: tuple[Period, ...]
    closures: tuple[Period, ...]
    times: tuple[PhaseTimes, ...]
    attendance_target: float
    policy_preset: str


@dataclass(frozen=True, slots=True)
class Administrator:
    """The first administrator's login, asked for on the wizard's last form."""

    full_name: str
    position: str
    username: str
    password: str


@dataclass(frozen=True, slots=True)
class Stored:
    """What `save` or `set_up` stored; `warnings` are allowed but worth saying (long registers)."""

    school_id: int
    user_id: int
    warnings: tuple[str, ...]


def typical_year(start_year: int) -> tuple[tuple[Period, ...], tuple[Period, ...]]:
    """The half-terms and closures (INSET days, bank holidays) of a typical England year."""
    terms = typical_terms(start_year)
    return tuple(terms), tuple(typical_closures(terms))


def default_times(phase: str) -> tuple[PhaseTimes, ...]:
    """The default register windows for each group of years the phase teaches
    (docs/rules.md#register-sessions)."""
    groups = PHASES[phase][1] if phase in PHASES else ()
    return tuple(
        PhaseTimes(g, school_setup.MORNING, school_setup.AFTERNOON[PHASE_GROUPS[g][1][0]])
        for g in groups
    )


def draft(session: Session, *, today: date) -> SchoolProfile:
    """A profile to start from: the stored school and calendar if there are any (a database
    made by `init`), otherwise blank details and a typical year for `today`."""
    school = school_setup.current_school(session)
    calendar = calendar_store.load_calendar(session)
    if calendar.terms:
        terms, closures = calendar.terms, calendar.closures
    else:
        terms, closures = typical_year(academic_year_of(today))
    return SchoolProfile(
        name=school.name if school else "",
        urn=(school.urn or "") if school else "",
        la_number=(school.la_number or "") if school else "",
        estab_number=(school.estab_number or "") if school else "",
        phase="primary",
        terms=tuple(terms),
        closures=tuple(closures),
        times=default_times("primary"),
        attendance_target=settings.get(session, settings.ATTENDANCE_TARGET),
        policy_preset=settings.get(session, settings.POLICY_PRESET),
    )


def preset_choices() -> list[tuple[str, str, str]]:
    """(key, name, one-line description) of every shipped policy preset, default first."""
    out = []
    for key in policy.available_presets():
        chosen = policy.preset(key)
        out.append((key, chosen.name, chosen.description))
    return sorted(out, key=lambda c: (c[0] != policy.DEFAULT_PRESET, c[1]))


def _check_details(profile: SchoolProfile) -> None:
    if not profile.name.strip():
        raise ProfileError("school", "The school's name is missing.")
    for field, label, digits in IDENTIFIERS:
        value = getattr(profile, field).strip()
        if value and not (value.isdigit() and len(value) == digits):
            raise ProfileError("school", f"The {label} must be {digits} digits, not '{value}'.")
    if profile.phase not in PHASES:
        raise ProfileError(
            "school", f"'{profile.phase}' is not a phase; choose one of {', '.join(PHASES)}."
        )


def _store_school(session: Session, profile: SchoolProfile, user: User, now: datetime) -> School:
    blank = {f: getattr(profile, f).strip() or None for f, _, _ in IDENTIFIERS}
    school = school_setup.current_school(session)
    if school is None:
        try:
            school = school_setup.create_school(
                session,
                name=profile.name,
                **blank,
                today=profile.terms[0].start,
                now=now,
                user=user,
            )
        except ValueError as exc:
            raise ProfileError("school", f"{str(exc).capitalize()}.") from None
        return school
    old = {"name": school.name, **{f: getattr(school, f) for f, _, _ in IDENTIFIERS}}
    school.name = profile.name.strip()
    for field, value in blank.items():
        setattr(school, field, value)
    new = {"name": school.name, **blank}
    if new != old:
        audit.record(
            session,
            user=user,
            now=now,
            action="change",
            entity="school",
            entity_id=school.id,
            old=old,
            new=new,
        )
    return school


def _store_calendar(session: Session, profile: SchoolProfile, user: User, now: datetime) -> None:
    if not profile.terms:
        raise ProfileError("terms", "The year needs at least one term.")
    for period in (*profile.terms, *profile.closures):
        if not period.name.strip():
            raise ProfileError(
                "terms", f"The term or closure starting {period.start:%d %B %Y} needs a name."
            )
    try:
        calendar_store.replace_calendar(
            session, terms=profile.terms, closures=profile.closures, user=user, now=now
        )
    except ValueError as exc:
        raise ProfileError("terms", f"{str(exc)[:1].upper()}{str(exc)[1:]}.") from None


def _store_times(session: Session, profile: SchoolProfile, user: User, now: datetime) -> list[str]:
    if {t.group for t in profile.times} != set(PHASES[profile.phase][1]):
        raise ProfileError(
            "register_times", "Give register times for every group of years the school teaches."
        )
    longest = settings.get(session, settings.REGISTER_MAX_OPEN_MINUTES)
    warnings: list[str] = []
    for times in profile.times:
        for code in PHASE_GROUPS[times.group][1]:
            school_setup.year_group(session, code)
            try:
                said = school_setup.set_register_windows(
                    session,
                    code=code,
                    am=times.am,
                    pm=times.pm,
                    user=user,
                    now=now,
                    max_open_minutes=longest,
                )
            except ValueError as exc:
                raise ProfileError("register_times", f"{times.label}: {exc}.") from None
            warnings.extend(w.replace(w.split(":")[0], times.label) for w in said)
    return list(dict.fromkeys(warnings))  # one warning per group of years, not per year


def _store_settings(session: Session, profile: SchoolProfile, user: User, now: datetime) -> None:
    try:
        settings.put(
            session, settings.ATTENDANCE_TARGET, profile.attendance_target, user=user, now=now
        )
    except ValueError:
        option = settings.ATTENDANCE_TARGET
        raise ProfileError(
            "target",
            f"The attendance target must be between {option.minimum:g} and {option.maximum:g} %, "
            f"not {profile.attendance_target:g}.",
        ) from None
    if profile.policy_preset not in policy.available_presets():
        names = ", ".join(name for _, name, _ in preset_choices())
        raise ProfileError(
            "preset", f"There is no policy preset '{profile.policy_preset}'; choose one of {names}."
        )
    settings.put(session, settings.POLICY_PRESET, profile.policy_preset, user=user, now=now)


def save(session: Session, *, profile: SchoolProfile, user: User, now: datetime) -> Stored:
    """Create or update the school from `profile`, in the caller's transaction (audited).

    Raises `ProfileError` naming the part to correct; the caller then rolls back, so
    nothing of a refused profile is kept.
    """
    require(user, Permission.CHANGE_SETTINGS)
    _check_details(profile)
    school = _store_school(session, profile, user, now)
    _store_calendar(session, profile, user, now)
    warnings = _store_times(session, profile, user, now)
    _store_settings(session, profile, user, now)
    session.flush()
    return Stored(school.id, user.id, tuple(warnings))


def set_up(
    session: Session, *, profile: SchoolProfile, admin: Administrator, now: datetime
) -> Stored:
    """First run: the first administrator and the school, together (the caller commits)."""
    try:
        user = auth.create_user(
            session,
            username=admin.username,
            full_name=admin.full_name,
            position=admin.position,
            role=Role.ADMIN,
            password=admin.password,
            now=now,
        )
    except auth.UserError as exc:
        raise ProfileError("administrator", f"{str(exc).capitalize()}.") from None
    return save(session, profile=profile, user=user, now=now)


def check(
    session: Session, *, profile: SchoolProfile, admin: Administrator | None, now: datetime
) -> Stored:
    """Everything `set_up` (or `save` as the office account) would refuse or warn about,
    without keeping any of it: the work is rolled back before returning."""
    try:
        if admin is None:
            return save(session, profile=profile, user=auth.office_user(session), now=now)
        return set_up(session, profile=profile, admin=admin, now=now)
    finally:
        session.rollback()


def with_phase(profile: SchoolProfile, phase: str) -> SchoolProfile:
    """The profile for another phase, with that phase's default register times."""
    if phase == profile.phase:
        return profile
    return replace(profile, phase=phase, times=default_times(phase))
