"""Letter templates: every shipped one parses, mistakes name the line, merging is safe."""

from __future__ import annotations

import pytest

from attendance_desk.letters.templates import (
    FIELDS,
    TemplateError,
    available_templates,
    load_template,
    parse_template,
)

SHIPPED = {
    "letter_a",
    "letter_b",
    "letter_c",
    "letter_d",
    "letter_e",
    "pace",
    "ap_first",
    "ap_second",
    "ap_stage3",
}


def test_one_template_per_letter() -> None:
    """Letters A to E, PACE and the three AP letters are all there and parse."""
    assert set(available_templates()) == SHIPPED
    for name in SHIPPED:
        template = load_template(name)
        kinds = [b.kind for b in template.blocks]
        assert kinds.count("summary") == 1, name
        assert kinds[-1] == "signature", name
        assert template.fields <= set(FIELDS)


def test_unknown_field_names_file_and_line() -> None:
    """A misspelt merge field is refused with where it is."""
    source = "label: X\ntitle: Hello\n---\nDear {parent_name},\n\nAttendance {atendance_pct}.\n"
    with pytest.raises(TemplateError, match=r"x.txt:6: unknown merge field \{atendance_pct\}"):
        parse_template("x", source, "x.txt")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("label: X\ntitle: T\nDear", "no '---' line"),
        ("label: X\n---\nDear", "the header has no title"),
        ("label: X\ncolour: red\ntitle: T\n---\nDear", r"t.txt:2: expected one of label"),
        ("label: X\ntitle: T\n---\n[table]\n", r"t.txt:4: unknown \[table\]"),
        ("label: X\ntitle: T\n---\nA {brace\n", r"t.txt:4: .*write \{\{ and \}\}"),
        ("label: X\ntitle: T\n---\n{target:>5}\n", r"write \{target\} without a format"),
    ],
)
def test_broken_templates_are_refused(source: str, message: str) -> None:
    """Each mistake in a template gets a message with the file and line."""
    with pytest.raises(TemplateError, match=message):
        parse_template("t", source, "t.txt")


def test_merge_escapes_values_and_keeps_bold() -> None:
    """Values are text, not markup (a & in a name prints as typed); **x** is bold."""
    template = parse_template(
        "t",
        "label: X\ntitle: For {parent_name}\n---\nDear {parent_name},\n\n"
        "Attendance **{attendance_pct}**.\n- one\n- two\n",
    )
    values = dict.fromkeys(FIELDS, "")
    values |= {"parent_name": "Ann & <Bo>", "attendance_pct": "88.0%"}
    title, blocks = template.merge(values)
    assert title == "For Ann & <Bo>"
    assert blocks[0].lines == ("Dear Ann &amp; &lt;Bo&gt;,",)
    assert blocks[1].lines == ("Attendance <b>88.0%</b>.",)
    assert blocks[2].kind == "bullets" and blocks[2].lines == ("one", "two")
    assert blocks[-1].kind == "signature"  # added when the template leaves it out
