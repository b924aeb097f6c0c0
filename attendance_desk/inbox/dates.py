"""The days and sessions a parent's message is about, read by plain rules.

- No date words: the day it arrived, or the next school day when it arrived after the end
  of the school day (`END_OF_DAY`) or on a day without school.
- `today`, `tomorrow`, `yesterday`; a weekday (`Monday`, `Weds`) is the next one on or after
  the day it arrived (`next Monday` the one after that, `last Monday` and `since Monday`
  the one before); `12th`, `12 Sept`, `12/9` (day first, as in England).
- `until`/`till`/`through` a day (or `to` after another date) ends the absence on that day;
  `back on Monday` ends it the school day before, while `back today` is a child in school;
  `rest of the week`/`all week` ends it on the week's last school day; `for two days`
  covers that many school days.
- `this afternoon`/`after lunch`/`pm only` is the PM session alone, `morning only`/`for the
  morning` the AM (and for an appointment any `this morning`); a time on a single day
  (`at 2.15pm`, `10am`) picks the session it falls in; `in after lunch`/`back for the
  afternoon` leaves the PM session out, `collect at 1.30`/`leave early` the AM.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from attendance_desk.inbox.words import fold
from attendance_desk.school.calendar import SchoolCalendar

END_OF_DAY = time(15, 30)
WEEKDAYS = {
    "mon": 0,
    "monday": 0,
    "tue": 1,
    "tues": 1,
    "tuesday": 1,
    "wed": 2,
    "weds": 2,
    "wednesday": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "thursday": 3,
    "fri": 4,
    "friday": 4,
}
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "a couple of": 2, "couple of": 2}

_DAY = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
MENTION = re.compile(
    rf"\b(?:(?P<rel>today|tomorrow|tmrw|tomoz|yesterday)"
    rf"|(?P<which>next|last|since|this coming)?\s*(?P<day>{_DAY})\b(?:\s+(?P<dom1>\d{{1,2}})"
    rf"(?:st|nd|rd|th)?\b)?"
    rf"|(?P<dom2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH})\b"
    rf"|(?P<dom3>\d{{1,2}})/(?P<mon3>\d{{1,2}})(?:/\d{{2,4}})?\b"
    rf"|(?:the\s+)?(?P<dom4>\d{{1,2}})(?:st|nd|rd|th)\b)"
)
UNTIL_WORDS = (" until", " till", " til", " through", " thru", " up to", " including")
BACK_ON = re.compile(r"\b(back|returns?|returning)\s+(to school\s+)?(on\s+)?$")
FOR_DAYS = re.compile(
    r"\bfor\s+(?:the\s+next\s+)?(?P<n>\d|one|two|three|four|five|a couple of|couple of)\s+days?\b"
)
REST_OF_WEEK = re.compile(r"\b(rest of the week|all week|whole week|this week)\b")
TIME = re.compile(
    r"\b(?:at\s+)?(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ampm>am|pm)\b|\b(?:at\s+)?(?P<h24>\d{1,2})[:.](?P<m24>\d{2})\b"
)
MORNING_ONLY = re.compile(
    r"\b(morning only|(for|just|only) (this |the )?morning|until (lunch|dinner)(time)?)\b"
)
#: For an appointment, any mention of the morning is the AM session.
APPOINTMENT_MORNING = re.compile(r"\b(this morning|in the morning|first thing)\b")
AFTERNOON_ONLY = re.compile(
    r"\b(this afternoon|afternoon only|in the afternoon|for the afternoon|after lunch|pm only"
    r"|after dinner)\b"
)
IN_FOR_AFTERNOON = re.compile(
    r"\b((back|in|bring (him|her|them) in|drop (him|her|them) (off|in)) (for|after|in) "
    r"(the )?(afternoon|lunch|dinner)|back for the afternoon|in after lunch)\b"
)
LEAVING_EARLY = re.compile(
    r"\b(leave early|leaving early|collect(ing)?|pick(ing)? (him|her|them) up)\b"
)


@dataclass(frozen=True, slots=True)
class Span:
    """The sessions a message is about, from (`start`, `start_session`) to (`end`,
    `end_session`), both included."""

    start: date
    start_session: str
    end: date
    end_session: str

    def sessions(self, calendar: SchoolCalendar) -> list[tuple[date, str]]:
        """Every school session the span covers, in order."""
        first, last = (self.start, self.start_session), (self.end, self.end_session)
        return [
            (day, name)
            for day in calendar.school_days(self.start, self.end)
            for name in ("AM", "PM")
            if first <= (day, name) <= last
        ]


def first_day(received: datetime, calendar: SchoolCalendar) -> date:
    """The day a message with no date words is about."""
    day = received.date()
    if calendar.is_school_day(day) and received.time() < END_OF_DAY:
        return day
    return calendar.next_school_day(day) or day


def read_dates(
    text: str, received: datetime, calendar: SchoolCalendar, *, appointment: bool = False
) -> Span:
    """The span of sessions `text` is about (see the module's rules); for an
    `appointment`, "this morning" is the morning session alone."""
    folded = " ".join(fold(text).split())
    today = received.date()
    base = first_day(received, calendar)
    mentioned: list[date] = []
    end: date | None = None
    for match in MENTION.finditer(folded):
        day = _resolve(match, today, calendar)
        if day is None:
            continue
        before = " " + folded[: match.start()].rstrip()
        if before.endswith(UNTIL_WORDS) or (mentioned and before.endswith((" to", "-"))):
            end = day
        elif BACK_ON.search(before + " "):
            if day > today:  # "back on Thursday": away until the school day before
                end = calendar.previous_school_day(day) or day
            # "back today" is a child in school: not a day of the absence
        else:
            mentioned.append(day)
            if match.group("which") == "since":
                mentioned.append(today)
    start = min(mentioned) if mentioned else base
    if end is None:
        end = max(mentioned) if mentioned else start
        if REST_OF_WEEK.search(folded):
            end = _week_end(start, calendar)
        elif found := FOR_DAYS.search(folded):
            count = found.group("n")
            n = int(count) if count.isdigit() else NUMBERS[count]
            end = _school_day_after(start, n - 1, calendar)
    if end < start:
        start, end = end, start
    start_session, end_session = _sessions(folded, single_day=start == end, appointment=appointment)
    return Span(start, start_session, end, end_session)


RANGE_MONTH = re.compile(
    rf"\s*(?:-|to|until|till)\s*\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH})\b"
)


def _resolve(match: re.Match[str], today: date, calendar: SchoolCalendar) -> date | None:
    if rel := match.group("rel"):
        if rel == "today":
            return today
        if rel == "yesterday":
            return calendar.previous_school_day(today) or today - timedelta(days=1)
        return today + timedelta(days=1)
    if day_name := match.group("day"):
        if dom := match.group("dom1"):
            return _day_of_month(int(dom), None, today)
        weekday = WEEKDAYS[day_name]
        ahead = (weekday - today.weekday()) % 7
        which = match.group("which")
        if which in ("last", "since"):
            return today - timedelta(days=(today.weekday() - weekday) % 7 or 7)
        if which in ("next", "this coming") and ahead == 0:
            ahead = 7
        return today + timedelta(days=ahead)
    if dom := match.group("dom2"):
        return _day_of_month(int(dom), MONTHS[match.group("month")], today)
    if dom := match.group("dom3"):
        return _day_of_month(int(dom), int(match.group("mon3")), today)
    if dom := match.group("dom4"):
        # "13th to 17th October": the month written once belongs to both days
        later = RANGE_MONTH.match(match.string, match.end())
        month = MONTHS[later.group("month")] if later else None
        return _day_of_month(int(dom), month, today)
    return None


def _day_of_month(dom: int, month: int | None, today: date) -> date | None:
    """The date with that day of the month (this month or the next when none is given),
    in the school year around `today`; None for an impossible date."""
    month = month or today.month
    year = today.year
    try:
        found = date(year, month, dom)
    except ValueError:
        return None
    if found < today - timedelta(days=180):
        return found.replace(year=year + 1) if not (found.month == 2 and dom == 29) else None
    if found > today + timedelta(days=180):
        return found.replace(year=year - 1) if not (found.month == 2 and dom == 29) else None
    if month == today.month and dom < today.day - 14:
        return _day_of_month(dom, today.month % 12 + 1, today)
    return found


def _week_end(day: date, calendar: SchoolCalendar) -> date:
    friday = day + timedelta(days=4 - day.weekday())
    days = calendar.school_days(day, friday)
    return days[-1] if days else day


def _school_day_after(day: date, n: int, calendar: SchoolCalendar) -> date:
    try:
        return calendar.add_school_days(day, n) if n > 0 else day
    except ValueError:
        return day


def _sessions(folded: str, *, single_day: bool, appointment: bool) -> tuple[str, str]:
    """(first day's first session, last day's last session)."""
    if IN_FOR_AFTERNOON.search(folded):
        return "AM", "AM"
    if LEAVING_EARLY.search(folded) or AFTERNOON_ONLY.search(folded):
        return "PM", "PM"
    if MORNING_ONLY.search(folded) or (appointment and APPOINTMENT_MORNING.search(folded)):
        return "AM", "AM"
    if single_day and (found := TIME.search(folded)):
        hour = int(found.group("h") or found.group("h24"))
        if found.group("ampm") == "pm" and hour < 12:
            hour += 12
        if found.group("h24") and hour < 8:  # "at 2.30" in a school day is the afternoon
            hour += 12
        return ("PM", "PM") if hour >= 12 else ("AM", "AM")
    return "AM", "PM"
