"""The part of the DfE Common Transfer File that Attendance Desk writes, as data.

One `Node` per element: whether it must be there, whether it may repeat, and for a leaf
the pattern its text must match. `check` walks a parsed file against it (children in
the order given, nothing unknown), so an export is refused before anyone receives it
and the tests validate what was written against the same description.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from attendance_desk.catalogues import codes

#: The CTF version written: the 2025/26 collection year's file (CTF 25).
CTF_VERSION = "25.0"

_TWO_CHAR = sorted((c for c in codes.STORED if len(c) == 2), reverse=True)
_ONE_CHAR = "".join(re.escape(c) for c in codes.STORED if len(c) == 1)
#: One session's mark in AttendMarks: a 2024 code, or `-` for a session with no mark.
MARK = rf"(?:{'|'.join(_TWO_CHAR)}|[{_ONE_CHAR}\-])"

DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
TEXT = r"\S(?:.*\S)?"
COUNT = r"[0-9]{1,4}"


@dataclass(frozen=True, slots=True)
class Node:
    """An element: a leaf has a `pattern` for its text, a container has `children`."""

    name: str
    required: bool = True
    repeat: bool = False
    pattern: str | None = None
    children: tuple[Node, ...] = ()


def _leaf(name: str, pattern: str = TEXT, *, required: bool = True) -> Node:
    return Node(name, required=required, pattern=pattern)


_YEAR_DATA = Node(
    "YearData",
    repeat=True,
    children=(
        _leaf("Year", r"[0-9]{4}"),
        _leaf("LEA", r"[0-9]{3}"),
        _leaf("Estab", r"[0-9]{4}"),
        _leaf("SchoolName"),
        _leaf("SessionsPossible", COUNT),
        _leaf("SessionsAuthorised", COUNT),
        _leaf("SessionsAttended", COUNT),
        _leaf("SessionsUnauthorised", COUNT),
        _leaf("AttendStartDate", DATE, required=False),
        _leaf("AttendMarks", rf"{MARK}+", required=False),
    ),
)

_CONTACT = Node(
    "Contact",
    repeat=True,
    children=(
        _leaf("Order", r"[1-9][0-9]{0,2}"),
        _leaf("Surname"),
        _leaf("Forename", required=False),
        _leaf("Relationship", r"[A-Z]{3}"),
        _leaf("Responsibility", r"true|false"),
        Node(
            "Phones",
            required=False,
            children=(
                Node(
                    "Phone",
                    repeat=True,
                    children=(_leaf("TelephoneType", r"[A-Z]"), _leaf("PhoneNo", r"[0-9 +()]+")),
                ),
            ),
        ),
        _leaf("Email", r"[^@\s]+@[^@\s]+\.[^@\s]+", required=False),
    ),
)

_PUPIL = Node(
    "Pupil",
    repeat=True,
    children=(
        _leaf("UPN", r"[A-Z][0-9]{11}[0-9A-Z]"),
        _leaf("Surname"),
        _leaf("Forename"),
        _leaf("DOB", DATE),
        _leaf("Sex", r"[MFU]"),
        Node(
            "BasicDetails",
            required=False,
            children=(
                _leaf("PreferredForename", required=False),
                _leaf("NCyearActual", r"N1|N2|R|[1-9]|1[0-3]", required=False),
            ),
        ),
        Node(
            "Address",
            required=False,
            children=(
                Node(
                    "AddressLines",
                    children=tuple(_leaf(f"AddressLine{n}", required=n == 1) for n in range(1, 6)),
                ),
            ),
        ),
        Node("Contacts", required=False, children=(_CONTACT,)),
        Node("Attendance", required=False, children=(_YEAR_DATA,)),
    ),
)

SCHEMA = Node(
    "CTfile",
    children=(
        Node(
            "Header",
            children=(
                _leaf("DocumentName", r"Common Transfer File"),
                _leaf("CTFversion", re.escape(CTF_VERSION)),
                _leaf("DateTime", rf"{DATE}T[0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}"),
                _leaf("DocumentQualifier", r"full|partial"),
                _leaf("SupplierID"),
                Node(
                    "SourceSchool",
                    children=(
                        _leaf("LEA", r"[0-9]{3}"),
                        _leaf("Estab", r"[0-9]{4}"),
                        _leaf("SchoolName"),
                        _leaf("AcademicYear", r"[0-9]{4}"),
                    ),
                ),
                Node(
                    "DestSchool",
                    children=(_leaf("LEA", r"[0-9]{3}|MMM"), _leaf("Estab", r"[0-9]{4}|MMMM")),
                ),
            ),
        ),
        Node("CTFpupilData", children=(_PUPIL,)),
    ),
)


def check(root: etree._Element, schema: Node = SCHEMA) -> list[str]:
    """Every way `root` departs from `schema`, as `line: path: problem` (empty when none)."""
    problems: list[str] = []
    if root.tag != schema.name:
        return [f"{_where(root)}{root.tag}: expected the root element <{schema.name}>"]
    _check(root, schema, schema.name, problems)
    return problems


def _where(element: etree._Element) -> str:
    return f"line {element.sourceline}: " if element.sourceline else ""


def _check(element: etree._Element, node: Node, path: str, problems: list[str]) -> None:
    text = (element.text or "").strip()
    if node.pattern is not None:
        if len(element):
            problems.append(f"{_where(element)}{path}: holds elements; expected only text")
        elif not re.fullmatch(node.pattern, text):
            problems.append(f"{_where(element)}{path}: '{text}' does not match {node.pattern}")
        return
    if text:
        problems.append(f"{_where(element)}{path}: holds text '{text[:20]}'; expected elements")
    index = {child.name: i for i, child in enumerate(node.children)}
    seen: set[str] = set()
    position = 0
    for child in element:
        if not isinstance(child.tag, str):
            continue  # comments and processing instructions
        child_path = f"{path}/{child.tag}"
        at = index.get(child.tag)
        if at is None:
            problems.append(f"{_where(child)}{child_path}: not an element of <{node.name}>")
            continue
        spec = node.children[at]
        if child.tag in seen and not spec.repeat:
            problems.append(f"{_where(child)}{child_path}: appears more than once")
        elif at < position:
            problems.append(f"{_where(child)}{child_path}: out of order in <{node.name}>")
        position = max(position, at)
        seen.add(child.tag)
        _check(child, spec, child_path, problems)
    for spec in node.children:
        if spec.required and spec.name not in seen:
            problems.append(f"{_where(element)}{path}/{spec.name}: required, but missing")
