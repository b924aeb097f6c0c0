"""Letter templates: small text files with merge fields, one per letter, in resources/letters/.

A template is a few `key: value` header lines, a line `---`, then the body::

    label: Letter A
    title: {pupil_name}'s attendance
    ---
    Dear {salutation},

    Paragraphs are separated by a blank line; **bold** works inside one.

    - a line starting "- " is a bullet point
    [summary]      the attendance table
    [meeting]      the meeting's date, time and place, in a box
    [signature]    the sign-off (added at the end when a template leaves it out)

Lines starting with `#` are comments. `{field}` is a merge field (the names are in
`FIELDS`); `{{` and `}}` print braces. A template naming an unknown field, or a broken one,
is refused with the file, the line and the field, when it is loaded. The files are the
standard wording; a school's own wording is kept in the database (`template_store`).
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from attendance_desk.pathway.errors import LettersError
from attendance_desk.pathway.stages import TEMPLATES

#: Every merge field a template may use, with what it holds.
FIELDS: dict[str, str] = {
    "school_name": "The school's name",
    "school_address": "The school's address on one line",
    "school_contact": "The school's telephone and email line",
    "date": "The date of the letter, e.g. 8 September 2025",
    "salutation": 'How the letter greets the parent: "Ms Dudek", or the full name',
    "parent_name": "The parent the letter is addressed to",
    "parent_address": "Their address on one line",
    "pupil_name": "The pupil's name (preferred forename and surname)",
    "pupil_forename": "The pupil's preferred forename",
    "year": "The pupil's year group, e.g. Year 3",
    "group": "The pupil's registration group",
    "attendance_pct": "Attendance over the period the letter is about, e.g. 88.5%",
    "sessions_missed": "Sessions missed over that period (authorised and unauthorised)",
    "unauthorised_sessions": "Unauthorised sessions missed over that period",
    "possible_sessions": "Possible sessions over that period",
    "period": "That period, e.g. 8 September and 3 October 2025",
    "year_attendance_pct": "Attendance over the school year so far",
    "target": "The attendance target, e.g. 96%",
    "review_end": "The last day of the letter's target or review period",
    "review_length": "How long that period is, e.g. two weeks",
    "meeting_date": "The meeting's day and date",
    "meeting_time": "The meeting's time, e.g. 3.30pm",
    "meeting_place": "Where the meeting is",
    "signatory": "Who signs the letter",
    "signatory_role": "Their role",
}
MEETING_FIELDS = ("meeting_date", "meeting_time", "meeting_place")
HEADER_KEYS = ("label", "title", "description")
MARKERS = ("summary", "meeting", "signature")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


class TemplateError(LettersError):
    """A template that cannot be used; the message names the file, line and problem.

    `problem` and `line` are also kept apart, for the editor to show next to the text.
    """

    def __init__(self, where: str, problem: str, line: int | None = None) -> None:
        super().__init__(f"{where}:{line}: {problem}" if line else f"{where}: {problem}")
        self.where = where
        self.problem = problem
        self.line = line


@dataclass(frozen=True)
class Block:
    """A piece of a letter's body: a paragraph, bullet points, or a marker's place."""

    kind: str  # "paragraph", "bullets", or one of MARKERS
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Template:
    """A parsed template, its fields checked."""

    name: str
    label: str
    title: str
    description: str
    blocks: tuple[Block, ...]
    source: str

    @property
    def fields(self) -> set[str]:
        texts = [self.title, *(line for b in self.blocks for line in b.lines)]
        return {name for t in texts for name in _field_names(t)}

    @property
    def needs_meeting(self) -> bool:
        return any(b.kind == "meeting" for b in self.blocks) or bool(
            self.fields & set(MEETING_FIELDS)
        )

    def merge(self, values: Mapping[str, str]) -> tuple[str, tuple[Block, ...]]:
        """The title (plain text) and body blocks (ReportLab markup) with fields filled in."""
        title = self.title.format_map(values)
        blocks = tuple(
            Block(b.kind, tuple(_markup(line.format_map(values)) for line in b.lines))
            for b in self.blocks
        )
        return title, blocks


def _markup(text: str) -> str:
    """Escaped text with `**bold**` as ReportLab's <b> markup."""
    return _BOLD.sub(r"<b>\1</b>", escape(text))


def _field_names(text: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


def _check_fields(where: str, line: int, text: str) -> None:
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise TemplateError(where, f"{exc} (write {{{{ and }}}} for a brace)", line) from None
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in FIELDS:
            raise TemplateError(where, f"unknown merge field {{{name}}}", line)
        if spec or conversion:
            raise TemplateError(where, f"write {{{name}}} without a format", line)


def parse_template(name: str, source: str, file_name: str = "") -> Template:
    """Parse and check a template's text (`file_name` is for messages)."""
    where = file_name or f"{name}.txt"
    lines = source.splitlines()
    if "---" not in (line.strip() for line in lines):
        raise TemplateError(where, "no '---' line between the header and the letter")
    split = next(i for i, line in enumerate(lines) if line.strip() == "---")
    header: dict[str, str] = {}
    for number, line in enumerate(lines[:split], start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, colon, value = line.partition(":")
        if not colon or key.strip() not in HEADER_KEYS:
            raise TemplateError(
                where, f"expected one of {', '.join(HEADER_KEYS)} then ':' and a value", number
            )
        header[key.strip()] = value.strip()
        _check_fields(where, number, value)
    for key in ("label", "title"):
        if not header.get(key):
            raise TemplateError(where, f"the header has no {key}")
    blocks: list[Block] = []
    paragraph: list[str] = []

    def finish() -> None:
        if paragraph:
            blocks.append(Block("paragraph", (" ".join(paragraph),)))
            paragraph.clear()

    for number, raw in enumerate(lines[split + 1 :], start=split + 2):
        line = raw.strip()
        if line.startswith("#"):
            continue
        _check_fields(where, number, line)
        if not line:
            finish()
        elif line.startswith("[") and line.endswith("]"):
            finish()
            marker = line[1:-1].strip()
            if marker not in MARKERS:
                raise TemplateError(
                    where,
                    f"unknown [{marker}]; use one of " + ", ".join(f"[{m}]" for m in MARKERS),
                    number,
                )
            blocks.append(Block(marker))
        elif line.startswith("- "):
            finish()
            if blocks and blocks[-1].kind == "bullets":
                blocks[-1] = Block("bullets", (*blocks[-1].lines, line[2:].strip()))
            else:
                blocks.append(Block("bullets", (line[2:].strip(),)))
        else:
            paragraph.append(line)
    finish()
    if not any(b.kind == "signature" for b in blocks):
        blocks.append(Block("signature"))
    return Template(
        name=name,
        label=header["label"],
        title=header["title"],
        description=header.get("description", ""),
        blocks=tuple(blocks),
        source=source,
    )


def load_template(name: str, folder: Path = TEMPLATES) -> Template:
    """The template `name` (its file stem) from `folder`, parsed and checked."""
    path = folder / f"{name}.txt"
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TemplateError(str(path), "no such letter template") from None
    return parse_template(name, source, path.name)


def template_label(name: str, folder: Path = TEMPLATES) -> str:
    """A template's label ("Letter A"), or its name when it cannot be read."""
    try:
        return load_template(name, folder).label
    except TemplateError:
        return name


def available_templates(folder: Path = TEMPLATES) -> list[str]:
    return [p.stem for p in sorted(folder.glob("*.txt"))]
