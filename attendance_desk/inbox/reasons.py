"""The reason in a parent's words, read into a proposed code by plain rules.

The first rule whose words appear wins:

1. a holiday or a family event away (holiday, abroad, flights, wedding, funeral…) is a
   **leave request** for the head to decide, never a code;
2. illness (ill, sick, poorly, temperature, vomiting…) is `I`, even when a doctor is seen
   because of it;
3. an appointment (dentist, doctor, hospital, orthodontist, appointment…) is `M`;
4. religious observance (Eid, Diwali, Yom Kippur…) is `R`.

With none of them the office chooses the code. A message with no reason and no word of an
absence either ("ok", "thanks") is not about an absence at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from attendance_desk.inbox.words import fold


@dataclass(frozen=True, slots=True)
class Rule:
    kind: str
    code: str | None
    pattern: re.Pattern[str]


def _rule(kind: str, code: str | None, *phrases: str) -> Rule:
    return Rule(kind, code, re.compile(r"\b(" + "|".join(phrases) + r")s?\b"))


RULES: tuple[Rule, ...] = (
    _rule(
        "leave",
        None,
        r"holidays?",
        r"going away",
        r"abroad",
        r"flights?",
        r"vacation",
        r"family (trip|wedding|funeral)",
        r"weddings?",
        r"funerals?",
        r"term time leave",
        r"leave of absence",
    ),
    _rule(
        "report",
        "I",
        r"ill",
        r"illness",
        r"unwell",
        r"poo?rly",
        r"sick(ness)?",
        r"temp(e?rature|eratur|rature)?",
        r"fever(ish)?",
        r"vomit+(ing|ed)?",
        r"being sick",
        r"threw up",
        r"throwing up",
        r"d ?(and|&) ?v",
        r"diarr?h?o?ea",
        r"bug",
        r"virus",
        r"flu",
        r"covid",
        r"cold",
        r"cough(ing)?",
        r"chicken ?pox",
        r"tonsill?itis",
        r"conjunctivitis",
        r"ear ?ache",
        r"ear infection",
        r"headache",
        r"migraine",
        r"tummy( ache| bug)?",
        r"stomach( ache| bug)?",
        r"sore throat",
        r"not (very )?well",
        r"not feeling (very |too )?(well|great|good)",
        r"feeling (unwell|ill|rough|poorly|sick)",
        r"under the weather",
        r"hand,? foot and mouth",
        r"injur(y|ed)",
        r"broken (arm|leg|wrist|ankle)",
    ),
    _rule(
        "report",
        "M",
        r"dentists?",
        r"dental",
        r"doctors?",
        r"drs?",
        r"gp",
        r"hospital",
        r"appointments?",
        r"appoint?ment",
        r"appt",
        r"orthodontist",
        r"optician",
        r"clinic",
        r"consultant",
        r"physio(therapy)?",
        r"camhs",
        r"speech therapy",
        r"audiology",
        r"check[ -]?up",
    ),
    _rule(
        "report",
        "R",
        r"eid",
        r"diwali",
        r"yom kippur",
        r"rosh hashanah",
        r"vaisakhi",
        r"religious (festival|observance|holiday)",
    ),
)

#: Words that say a child is or will be away, for a message that gives no reason.
ABSENCE_WORDS = re.compile(
    r"\b(not (be )?in|wont be in|will not be in|not coming( in)?|wont be coming|off( school)?"
    r"|absent|absence|away|stay(ing)? (at )?home|keep(ing)? (him|her|them) (at )?home"
    r"|kept (him|her|them) (at )?home|miss(ing)? school|late|leave early|leaving early"
    r"|pick(ing)? (him|her|them) up|collect(ing)?|day off|not attend(ing)?|cant come"
    r"|wont make it|back (on|in|at school)|return(ing)? (on|to school)|neither|none of them)\b"
)


#: Words that may mean a worry about a child's safety: the office passes the message on.
CONCERN_WORDS = re.compile(
    r"\b(social worker|police|hurt (him|her)self|self[- ]harm|suicid\w*|bruis\w*|hit (him|her)"
    r"|scared|frightened|afraid|abuse\w*|domestic|refuge|court order|not allowed to see"
    r"|run away|ran away|missing)\b"
)


def concern(text: str) -> str:
    """A note when the words may be a safeguarding worry (empty when they are not)."""
    found = dict.fromkeys(m.group(0) for m in CONCERN_WORDS.finditer(fold(text)))
    if not found:
        return ""
    return f"mentions '{', '.join(found)}': if it is a worry about the child, tell the DSL now"


@dataclass(frozen=True, slots=True)
class Reason:
    """What the words say: `kind` `report` or `leave`, the code proposed (None: the office
    chooses) and the words it was read from."""

    kind: str
    code: str | None
    words: str
    about_absence: bool


def read_reason(text: str) -> Reason:
    """The proposed code for a parent's message (see the module's rules)."""
    folded = " ".join(fold(text).replace("'", "").split())
    # "at home with a sickness bug" is illness even though "holiday" club may appear later
    for rule in RULES:
        found = [m.group(0) for m in rule.pattern.finditer(folded)]
        if found:
            words = ", ".join(dict.fromkeys(found))
            return Reason(rule.kind, rule.code, words, True)
    about = ABSENCE_WORDS.search(folded) is not None
    return Reason("report", None, "", about)
