"""Which pupils a message is about, and from whom: the sender's address or number against
the contacts on file, then the children's names in the words.

- A sender on file is matched to the children they are a contact for: those the message
  names (forename or preferred name, a slip of typing forgiven), all of them for "both",
  "the children", "the girls"…, or their only child when it names none. Two or more
  children and no name: the office chooses.
- A sender not on file is **never** matched, even when a name fits: the fit is offered as a
  suggestion for a person to confirm with Match to…. A display name that is a contact's
  name on another address is said out loud (it may be spoofed).
- A child named who is not on roll, or a message with nothing about an absence in it (a
  reply "ok"), stays unmatched with the reason in its note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from attendance_desk.inbox.directory import Child, Directory, Known
from attendance_desk.inbox.reasons import read_reason
from attendance_desk.inbox.words import fold, near
from attendance_desk.pupils.name_search import fold as fold_name
from attendance_desk.uk_dates import day_text

#: Forenames that are everyday words too: they count only when written with a capital.
EVERYDAY = frozenset(
    [
        "will",
        "may",
        "grace",
        "hope",
        "joy",
        "rose",
        "mark",
        "bill",
        "faith",
        "summer",
        "amber",
        "sunny",
        "ivy",
        "holly",
        "poppy",
        "autumn",
        "dawn",
        "april",
        "june",
        "august",
        "art",
        "max",
        "jack",
        "sky",
        "river",
        "storm",
        "rocky",
        "bob",
        "pat",
        "penny",
        "ruby",
        "dot",
    ]
)
PLURAL = re.compile(
    r"\b(both|all (three|3|four|4|of them)|the (children|kids|twins|girls|boys)"
    r"|(my|our) (children|kids|girls|boys|two|three|twins)|theyre|they are|they will|they wont"
    r"|them both|both of them|the pair of them)\b"
)
SEX_OF = {"girls": "F", "boys": "M"}
#: A clause saying a child is in school after all: "Isabella will be in as normal".
PRESENT = re.compile(
    r"\b(will be in|will be at school|will be (coming|going) in|(is|are) (coming|going) in"
    r"|(is|are) in( school)?( today| as normal)?$|(is|are) (fine|ok|okay|well|back)"
    r"|back (today|at school|in school)|(in|at school) as normal)\b"
)
CLAUSE = re.compile(r"[.!?;\n,]+|\bbut\b")


@dataclass(frozen=True, slots=True)
class Finding:
    """One pupil the message is about (or, with `pupil_id` None, a message to match by
    hand), the contact it came from, and why, in plain words."""

    pupil_id: int | None
    contact_id: int | None
    note: str
    suggested_pupil_id: int | None = None


def match_message(
    directory: Directory,
    *,
    sender: str,
    sender_name: str,
    text: str,
    day: date,
    about_absence: bool,
    forwarded_from: str = "",
) -> list[Finding]:
    """The pupils `text` from `sender` is about, on `day` (see the module's rules)."""
    known = directory.senders(sender) if sender else []
    named_tokens = _tokens(text)
    if not text.strip():
        return [Finding(None, _only_contact(known), "the message has no text")]
    if not about_absence:
        return [
            Finding(
                None,
                _only_contact(known),
                "nothing about an absence in it: reject it, or Match to… if it is one",
            )
        ]
    if not known:
        return [_unknown_sender(directory, sender, sender_name, named_tokens, forwarded_from)]
    return _known_sender(directory, known, named_tokens, text, day)


def _known_sender(
    directory: Directory, known: list[Known], tokens: _Tokens, text: str, day: date
) -> list[Finding]:
    by_pupil = {k.pupil_id: k for k in known}
    family = [directory.children[p] for p in by_pupil if p in directory.children]
    on_roll = [c for c in family if c.on_roll(day)]
    clauses = [c.strip() for c in CLAUSE.split(text) if c.strip()]
    named = [c for c in family if _named(c, tokens) and not _in_school(c, clauses)]
    who = known[0].label
    off_roll = [c for c in named if not c.on_roll(day)]
    chosen = [c for c in named if c.on_roll(day)]
    absent_clauses = [c for c in clauses if not _says_present(c)]
    folded = " ".join(fold(" ".join(absent_clauses)).split())
    plural = PLURAL.search(folded)
    if plural and "both" in plural.group(0) and len(chosen) >= 2:
        plural = None  # "Amy and Lily both…": the named two
    if plural:
        said = re.search(r"\b(girls|boys)\b", folded)
        sex = SEX_OF[said.group(1)] if said else None
        everyone = [c for c in on_roll if sex is None or c.sex == sex] or on_roll
        chosen += [c for c in everyone if c not in chosen]
    how = "named in the message" if named else ""
    if not chosen and not named and len(on_roll) == 1:
        chosen, how = on_roll, "the only child they are a contact for"
    if not chosen:
        if off_roll:
            return [Finding(None, known[0].contact_id, _not_on_roll(off_roll, day))]
        if not on_roll:
            return [Finding(None, known[0].contact_id, _not_on_roll(family, day))]
        names = _names([c.name for c in on_roll])
        return [
            Finding(
                None,
                known[0].contact_id,
                f"{who} is a contact for {names}: which one? Match to…",
            )
        ]
    if plural and len(chosen) > 1:
        how = f"'{plural.group(0)}': each of the children they are a contact for"
    findings = []
    for child in chosen:
        contact = by_pupil[child.pupil_id]
        note = f"from {contact.label}, a contact on file; {how or 'named in the message'}"
        if contact.do_not_contact:
            note += f". Careful: {contact.name} is marked do not contact"
        elif not contact.parental_responsibility:
            note += f". {contact.name} has no parental responsibility"
        if off_roll:
            note += f". {_not_on_roll(off_roll, day)}"
        findings.append(Finding(child.pupil_id, contact.contact_id, note))
    return findings


def _unknown_sender(
    directory: Directory, sender: str, sender_name: str, tokens: _Tokens, forwarded_from: str
) -> Finding:
    what = "number" if "@" not in sender else "address"
    note = f"not from an {what} on file ({sender or 'no sender'})" if sender else "no sender"
    suggested: int | None = None
    if forwarded_from and (first := directory.senders(forwarded_from)):
        kids = _names([directory.children[k.pupil_id].name for k in first])
        note += f"; forwarded from {first[0].label}, a contact for {kids}"
        if len(first) == 1:
            suggested = first[0].pupil_id
    surname_hint = [fold_name(w) for w in sender_name.split()[-1:]]
    fits = [
        c
        for c in _children_named(directory, tokens)
        if c.surname in tokens.all or c.surname in surname_hint
    ]
    if suggested is None and len(fits) == 1:
        suggested = fits[0].pupil_id
        note += f"; the name fits {fits[0].name} ({fits[0].group}): check, then Match to…"
    elif len(fits) > 1:
        note += f"; the name fits {_names([f'{c.name} ({c.group})' for c in fits[:4]])}"
    if sender_name and directory.by_contact_name.get(fold_name(sender_name)):
        note += (
            f"; '{sender_name}' is the name of a contact on file with another address or "
            "number: it may not be them"
        )
    return Finding(None, None, note, suggested)


@dataclass(frozen=True, slots=True)
class _Tokens:
    all: frozenset[str]
    capitalised: frozenset[str]


def _tokens(text: str) -> _Tokens:
    raw = re.findall(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", text)
    folded = [fold_name(w) for w in raw]
    # "Amy's" is "amys" folded: keep "amy" too
    extra = [w[:-1] for w in folded if w.endswith("s") and len(w) > 3]
    capital = frozenset(f for w, f in zip(raw, folded, strict=True) if w[:1].isupper())
    capital |= frozenset(w[:-1] for w in capital if w.endswith("s"))
    return _Tokens(frozenset(folded + extra), capital)


def _named(child: Child, tokens: _Tokens) -> bool:
    for name in child.forenames:
        if name in EVERYDAY:
            if any(near(t, name) for t in tokens.capitalised if len(t) >= 3):
                return True
            continue
        if name in tokens.all or any(near(t, name) for t in tokens.all if len(t) >= 4):
            return True
    return False


def _says_present(clause: str) -> bool:
    """The clause says someone is in school, and nothing about being away."""
    folded = " ".join(fold(clause).split())
    return PRESENT.search(folded) is not None and not read_reason(clause).about_absence


def _in_school(child: Child, clauses: list[str]) -> bool:
    """Every clause naming the child says they are in school ("Freddie will be in")."""
    naming = [c for c in clauses if _named(child, _tokens(c))]
    return bool(naming) and all(_says_present(c) for c in naming)


def _children_named(directory: Directory, tokens: _Tokens) -> list[Child]:
    ids = {
        pupil_id
        for token in tokens.all
        if token not in EVERYDAY or token in tokens.capitalised
        for pupil_id in directory.by_forename.get(token, ())
    }
    return [directory.children[i] for i in sorted(ids)]


def _only_contact(known: list[Known]) -> int | None:
    return known[0].contact_id if len({k.contact_id for k in known}) == 1 else None


def _not_on_roll(children: list[Child], day: date) -> str:
    parts = []
    for child in children:
        if child.on_roll_to is not None and child.on_roll_to < day:
            parts.append(f"{child.name} is not on roll (left {day_text(child.on_roll_to)})")
        else:
            parts.append(f"{child.name} is not on roll on {day_text(day)}")
    return "; ".join(parts)


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
