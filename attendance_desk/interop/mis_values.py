"""Values as MIS exports write them: SEN census codes and words, enrolment statuses, a
preferred name that is the whole name, contact priorities and sessions in words.

SIMS, Arbor and the others export what the school census collects, in their own words:
"K - SEN Support", "EHC Plan", "Current", "Guest", "1st". An office will not edit 1,200
rows to please us, so each is read as it comes; anything unrecognised is refused with
the forms that are understood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from attendance_desk.interop.fields import FieldError, flag, positive_whole_number


@dataclass(frozen=True, slots=True)
class SenProvision:
    """SEN provision as the census has it: none (N), SEN support (K) or an EHC plan (E).

    `ehcp` is None when the file only says "SEN: yes", which does not tell which.
    """

    sen: bool
    ehcp: bool | None

    @property
    def code(self) -> str:
        return "E" if self.ehcp else ("K" if self.sen else "N")


NO_SEN = SenProvision(False, False)
SEN_SUPPORT = SenProvision(True, False)
EHC_PLAN = SenProvision(True, True)
#: Census codes, with the pre-2014 ones: School Action and Action Plus became SEN
#: support, a statement became an EHC plan.
_SEN_CODES = {
    "N": NO_SEN,
    "K": SEN_SUPPORT,
    "E": EHC_PLAN,
    "A": SEN_SUPPORT,
    "P": SEN_SUPPORT,
    "S": EHC_PLAN,
}
#: A census code, optionally followed by its words: "K", "K - SEN Support", "E: EHCP".
_CODE_FIRST = re.compile(r"([A-Za-z])(?:\s*[-–:.()]\s*.*)?")
_SEN_WORDS = (
    (re.compile(r"\b(ehc|ehcp|education,? health|statement|statemented)\b", re.I), EHC_PLAN),
    (re.compile(r"\b(no|not|none)\b", re.I), NO_SEN),
    (re.compile(r"\b(sen support|support|school action)\b", re.I), SEN_SUPPORT),
)


def sen_provision(text: str) -> SenProvision:
    """`N`/`K`/`E` (with or without their words), words alone, or a Y/N flag."""
    value = " ".join(text.split())
    match = _CODE_FIRST.fullmatch(value)
    if match and match.group(1).upper() in _SEN_CODES:
        return _SEN_CODES[match.group(1).upper()]
    try:
        return SenProvision(True, None) if flag(value) else NO_SEN
    except FieldError:
        pass
    for words, provision in _SEN_WORDS:
        if words.search(value):
            return provision
    raise FieldError(
        f"'{text}' is not an SEN provision; write N - No SEN, K - SEN Support or E - EHCP (or Y/N)"
    )


#: Enrolment statuses of pupils on this school's admission register: single registration,
#: and the main or subsidiary school of a dual registration (census codes C, M, S).
_ON_ROLL = {
    "C",
    "M",
    "S",
    "CURRENT",
    "ON ROLL",
    "ENROLLED",
    "ENROLED",
    "SINGLE REGISTRATION",
    "MAIN",
    "MAIN DUAL REGISTRATION",
    "MAIN - DUAL REGISTRATION",
    "SUBSIDIARY",
    "SUBSIDIARY DUAL REGISTRATION",
    "SUBSIDIARY - DUAL REGISTRATION",
    "DUAL REGISTRATION",
    "DUAL REGISTERED",
}


def on_roll_status(text: str) -> bool:
    """Whether an Enrolment Status puts the pupil on this school's roll (a blank does)."""
    value = " ".join(text.replace("–", "-").split()).upper()
    if not value:
        return True
    return value in _ON_ROLL or re.sub(r"^[CMS]\s*-\s*", "", value) in _ON_ROLL


#: Headers of a column holding the preferred *full* name (SIMS's "Preferred Name").
_FULL_NAME_HEADERS = {"preferredname", "preferredfullname", "fullpreferredname"}


def is_full_name(header: str) -> bool:
    """Whether a column with this header holds the whole preferred name, surname included."""
    return re.sub(r"[\s_\-./]+", "", header).casefold() in _FULL_NAME_HEADERS


def forename_from_name(preferred: str, surname: str, *, full_name: bool = False) -> str:
    """The forename part of a preferred name: "Emma Carter" with surname Carter is "Emma".

    MIS student lists often export the preferred *full* name. When it ends with the legal
    surname, that is taken off. From a column known to hold full names (`full_name`), a
    name ending in another surname ("Emma Jones", the family's preferred name) loses its
    last word; otherwise the whole value is the preferred forename ("Mary Ann").
    """
    words, family = preferred.split(), surname.split()
    tail = [w.casefold() for w in words[-len(family) :]] if family else []
    if family and len(words) > len(family) and tail == [w.casefold() for w in family]:
        return " ".join(words[: -len(family)])
    if full_name and len(words) > 1:
        return " ".join(words[:-1])
    return " ".join(words)


_ORDINAL = re.compile(r"(?:priority|contact)?\s*([0-9]+)(?:st|nd|rd|th)?", re.I)
_PRIORITY_WORDS = {"first": 1, "primary": 1, "second": 2, "secondary": 2, "third": 3}


def priority(text: str) -> int:
    """A contact's priority: `1`, or as exports write it: `1st`, `Priority 1`, `First`."""
    value = text.strip()
    if value.casefold() in _PRIORITY_WORDS:
        return _PRIORITY_WORDS[value.casefold()]
    match = _ORDINAL.fullmatch(value)
    return positive_whole_number(match.group(1) if match else value)


_SESSIONS = {"AM": "AM", "A": "AM", "MORNING": "AM", "PM": "PM", "P": "PM", "AFTERNOON": "PM"}


def session(text: str) -> str:
    """`AM` or `PM`, also written `Morning`/`Afternoon` or `A`/`P`."""
    name = _SESSIONS.get(text.strip().upper())
    if name is None:
        raise FieldError(f"session must be AM or PM, not '{text}'")
    return name
