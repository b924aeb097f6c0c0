"""The demo school's people: its year groups and forms, families, pupils and leavers.

Planning is pure Python on a seeded `random.Random`, so the same seed gives the same school.
Children belong to families (siblings share a surname, contacts and often absences); year
groups fill evenly; a pupil's date of birth fits their year (age on 31 August) and they came
on roll when their cohort joined the school, or mid-way for a few in-year admissions. Each
past summer's leavers stay in the database, off roll, so past years have a full roll too.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from stdnum.gb import upn as upn_check

from attendance_desk.demo import names
from attendance_desk.demo.contacts import ContactPlan, Numbers, address, family_contacts
from attendance_desk.demo.names import Background
from attendance_desk.school.calendar import SchoolCalendar
from attendance_desk.school.term_dates import academic_year_of

#: A primary school up to this many pupils, a secondary school above it.
PRIMARY_MAX = 700
SECONDARY_FORM_LETTERS = "BRKFELDSHMNTWACGP"
FORM_SIZE = 28
#: Local authority numbers (all real, as UPNs require) for pupils who came from elsewhere.
OTHER_LAS = ("331", "332", "333", "334", "335", "336", "860", "885", "937", "209", "352")
#: Share of families (with a child on roll) known to children's social care, by flag.
SAFEGUARDING = (("cp", 0.006), ("cin", 0.01), ("cla", 0.006))


@dataclass(frozen=True, slots=True)
class Layout:
    """Which National Curriculum years the school has and the forms in each."""

    primary: bool
    forms: dict[str, tuple[str, ...]]

    @property
    def years(self) -> tuple[str, ...]:
        return tuple(self.forms)

    @property
    def entry_year(self) -> str:
        return self.years[0]

    @property
    def final_year(self) -> str:
        return self.years[-1]


@dataclass(slots=True)
class FamilyPlan:
    key: int
    mother_bg: Background
    father_bg: Background
    surname: str
    address: str
    contacts: list[ContactPlan] = field(default_factory=list)
    fsm: bool = False
    cp: bool = False
    cin: bool = False
    cla: bool = False
    social_worker: str | None = None
    sibling_elsewhere: tuple[str, str, str] | None = None
    children: list[PupilPlan] = field(default_factory=list)


@dataclass(slots=True)
class PupilPlan:
    family: FamilyPlan
    year: str
    upn: str
    forename: str
    sex: str
    date_of_birth: date
    on_roll_from: date
    on_roll_to: date | None = None
    group: str = ""
    #: The form the pupil was registered with when on roll (their trips were with it).
    class_key: str = ""
    preferred: str | None = None
    sen: bool = False
    young_carer: bool = False
    vulnerable: bool = False
    id: int = 0


def year_number(code: str) -> int:
    """Reception is year 0; NC years are their number."""
    return 0 if code == "R" else int(code)


def school_layout(pupils: int) -> Layout:
    """A two-form primary (R-6) for a small roll, else a secondary (7-11) of ~28 a form."""
    if pupils <= PRIMARY_MAX:
        years = ["R", *(str(n) for n in range(1, 7))]
        return Layout(True, {y: (f"{y}A", f"{y}B") for y in years})
    per_year = -(-pupils // 5)
    count = max(2, min(len(SECONDARY_FORM_LETTERS), -(-per_year // FORM_SIZE)))
    letters = SECONDARY_FORM_LETTERS[:count]
    return Layout(False, {str(n): tuple(f"{n}{c}" for c in letters) for n in range(7, 12)})


def _birth_date(rng: random.Random, year: str, academic_start: int) -> date:
    """A birthday that makes the child the right age on 31 August for `year`."""
    born_from = date(academic_start - 5 - year_number(year), 9, 1)
    return born_from + timedelta(days=rng.randrange(365))


def is_real_la(la: str | None) -> bool:
    """True for a local authority number a UPN may carry (python-stdnum knows the list)."""
    if not la or not (la.isdigit() and len(la) == 3):
        return False
    body = f"{la}000000000"
    return bool(upn_check.is_valid(upn_check.calc_check_digit(body) + body))


class Upns:
    """Valid, unique UPNs: LA number, DfE establishment number, issue year and serial."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[str] = set()

    def issue(self, la: str, estab: str, issued_year: int) -> str:
        while True:
            body = f"{la}{estab}{issued_year % 100:02d}{self._rng.randrange(1000):03d}"
            if body not in self._used:
                self._used.add(body)
                return upn_check.calc_check_digit(body) + body


@dataclass
class _Context:
    rng: random.Random
    layout: Layout
    calendar: SchoolCalendar
    first_day: date
    last_day: date
    today: date
    la: str
    estab: str
    upns: Upns
    numbers: Numbers
    feeders: tuple[str, ...]
    families: list[FamilyPlan] = field(default_factory=list)

    def start_of(self, academic_start: int) -> date:
        """When a cohort joining in September `academic_start` came on roll (as marked)."""
        start = max(self.first_day, date(academic_start, 9, 1))
        return self.calendar.next_school_day(start - timedelta(days=1)) or start


def plan_people(
    rng: random.Random,
    *,
    pupils: int,
    calendar: SchoolCalendar,
    first_day: date,
    last_day: date,
    today: date,
    la: str,
    estab: str,
) -> tuple[Layout, list[FamilyPlan], list[PupilPlan]]:
    """The school's families and pupils (on roll today first, then leavers), ids assigned."""
    layout = school_layout(pupils)
    ctx = _Context(
        rng,
        layout,
        calendar,
        first_day,
        last_day,
        today,
        la,
        estab,
        Upns(rng),
        Numbers(rng),
        tuple(f"{rng.randint(2000, 2999)}" for _ in range(12)),
    )
    current = _current_pupils(ctx, pupils)
    leavers = _leavers(ctx, len(current) // len(layout.years))
    _flag_families(ctx)
    for pupil in [*current, *leavers]:
        _child_flags(ctx, pupil)
    ordered = sorted(
        current,
        key=lambda p: (year_number(p.year), p.group, p.family.surname, p.forename),
    ) + sorted(leavers, key=lambda p: (p.on_roll_to or today, p.family.surname, p.forename))
    for n, pupil in enumerate(ordered, start=1):
        pupil.id = n
    return layout, ctx.families, ordered


def _new_family(ctx: _Context) -> FamilyPlan:
    rng = ctx.rng
    backgrounds = names.BACKGROUNDS
    weights = [b.weight for b in backgrounds]
    mother = rng.choices(backgrounds, weights=weights)[0]
    father = rng.choices(backgrounds, weights=weights)[0] if rng.random() < 0.08 else mother
    surname = rng.choice(father.surnames)
    if father is not mother and rng.random() < 0.25:
        surname = f"{rng.choice(mother.surnames)}-{surname}"
    home = address(rng)
    family = FamilyPlan(len(ctx.families) + 1, mother, father, surname, home)
    family.contacts = family_contacts(
        rng,
        ctx.numbers,
        mother_bg=mother,
        father_bg=father,
        surname=surname,
        home=home,
        cla=False,
        today=ctx.today,
    )
    ctx.families.append(family)
    return family


def _add_child(ctx: _Context, family: FamilyPlan, year: str, academic_start: int) -> PupilPlan:
    rng = ctx.rng
    sex = rng.choice("FM")
    taken = {c.forename for c in family.children}
    bg = rng.choice((family.mother_bg, family.father_bg))
    pool = [n for n in (bg.girls if sex == "F" else bg.boys) if n not in taken]
    forename = rng.choice(pool)
    entered = academic_start - (year_number(year) - year_number(ctx.layout.entry_year))
    on_roll_from = ctx.start_of(entered)
    reception = academic_start - year_number(year)
    if ctx.layout.primary:
        upn = ctx.upns.issue(ctx.la, ctx.estab, reception)
    else:
        upn = ctx.upns.issue(ctx.la, rng.choice(ctx.feeders), reception)
    pupil = PupilPlan(
        family=family,
        year=year,
        upn=upn,
        forename=forename,
        sex=sex,
        date_of_birth=_birth_date(rng, year, academic_start),
        on_roll_from=on_roll_from,
    )
    if forename in names.PREFERRED and rng.random() < 0.6:
        pupil.preferred = rng.choice(names.PREFERRED[forename])
    family.children.append(pupil)
    return pupil


def _current_pupils(ctx: _Context, pupils: int) -> list[PupilPlan]:
    rng, layout = ctx.rng, ctx.layout
    now_year = academic_year_of(ctx.today)
    years = layout.years
    remaining = {y: pupils // len(years) + (i < pupils % len(years)) for i, y in enumerate(years)}
    created: list[PupilPlan] = []
    while any(remaining.values()):
        family = _new_family(ctx)
        size = rng.choices((1, 2, 3), weights=(68, 25, 7))[0]
        for _ in range(size):
            open_years = [y for y in years if remaining[y] > 0]
            open_years = [y for y in open_years if y not in {c.year for c in family.children}]
            if not open_years:
                break
            year = rng.choices(open_years, weights=[remaining[y] for y in open_years])[0]
            remaining[year] -= 1
            created.append(_add_child(ctx, family, year, now_year))
    for year in years:
        cohort = [p for p in created if p.year == year]
        rng.shuffle(cohort)
        forms = layout.forms[year]
        for i, pupil in enumerate(cohort):
            pupil.group = pupil.class_key = forms[i % len(forms)]
    # In-year admissions: a few arrived from another school after their cohort started.
    for pupil in created:
        natural = pupil.on_roll_from
        if rng.random() < 0.03 and natural < ctx.last_day:
            days = ctx.calendar.school_days(natural + timedelta(days=1), ctx.last_day)
            if days:
                pupil.on_roll_from = rng.choice(days)
                la = rng.choice(OTHER_LAS)
                issued = now_year - year_number(pupil.year)
                pupil.upn = ctx.upns.issue(la, f"{rng.randint(2000, 2999)}", issued)
    return created


def _leavers(ctx: _Context, cohort_size: int) -> list[PupilPlan]:
    """Each past summer's final-year cohort, on roll until the last day of that year."""
    final = ctx.layout.final_year
    leavers: list[PupilPlan] = []
    for start_year in range(academic_year_of(ctx.first_day), academic_year_of(ctx.today)):
        leaving = ctx.calendar.previous_school_day(date(start_year + 1, 8, 1))
        if leaving is None or leaving < ctx.first_day or leaving >= ctx.today:
            continue
        group = f"Left {leaving:%B %Y}"
        forms = ctx.layout.forms[final]
        for i in range(cohort_size):
            family = _new_family(ctx)
            pupil = _add_child(ctx, family, final, start_year)
            pupil.on_roll_to = leaving
            pupil.group = group
            pupil.class_key = f"{forms[i % len(forms)]} {start_year}"
            leavers.append(pupil)
    return leavers


def _flag_families(ctx: _Context) -> None:
    """FSM for about a fifth of families; a few on child protection, in need, looked after.

    The safeguarding flags go to families with a child on roll today, at least one family
    each, so even a small demo has someone for the DSL's worklist.
    """
    rng, families = ctx.rng, ctx.families
    for family in families:
        family.fsm = rng.random() < 0.2
        if rng.random() < 0.08:
            school = rng.choice(names.OTHER_SCHOOLS)
            sibling = rng.choice(family.father_bg.girls + family.father_bg.boys)
            phone = f"0121 496 0{names.OTHER_SCHOOLS.index(school):03d}"
            family.sibling_elsewhere = (f"{sibling} {family.surname}", school, phone)
    current = [f for f in families if any(c.on_roll_to is None for c in f.children)]
    needed = [(flag, max(1, round(rate * len(current)))) for flag, rate in SAFEGUARDING]
    pool = rng.sample(current, min(len(current), sum(n for _, n in needed)))
    for flag, count in needed:
        chosen, pool = pool[:count], pool[count:]
        for family in chosen:
            setattr(family, flag, True)
            family.fsm = family.fsm or rng.random() < 0.6
            worker = rng.choice(rng.choice(names.BACKGROUNDS).women)
            surname = rng.choice(rng.choice(names.BACKGROUNDS).surnames)
            team = names.SOCIAL_WORK_TEAMS[1 if flag == "cla" else rng.choice((0, 2))]
            phone = f"0121 496 0{rng.randrange(900, 1000)}"
            family.social_worker = f"{worker} {surname} ({team}), {phone}"
            if flag == "cla":
                family.contacts = family_contacts(
                    rng,
                    ctx.numbers,
                    mother_bg=family.mother_bg,
                    father_bg=family.father_bg,
                    surname=family.surname,
                    home=family.address,
                    cla=True,
                    today=ctx.today,
                )


def _child_flags(ctx: _Context, pupil: PupilPlan) -> None:
    rng, family = ctx.rng, pupil.family
    pupil.sen = rng.random() < (0.17 if pupil.sex == "M" else 0.1)
    pupil.young_carer = rng.random() < (0.05 if family.fsm else 0.01)
    social_care = family.cp or family.cin or family.cla
    other_reason = rng.random() < (0.5 if pupil.young_carer else 0.015)
    pupil.vulnerable = social_care or other_reason
