"""Pathway presets load, match their templates, and refuse mistakes by file and key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from attendance_desk.letters.templates import load_template
from attendance_desk.pathway.stages import (
    PATHWAYS,
    PathwayError,
    available_pathways,
    load_pathway,
    pathway_preset,
)


def test_both_presets_load() -> None:
    """default (staged) and ap_centre load, each entering at a letter."""
    assert set(available_pathways()) >= {"default", "ap_centre"}
    default, ap = pathway_preset("default"), pathway_preset("ap_centre")
    assert default.entry == "letter_a" and default.target is None
    assert ap.entry == "first_letter" and ap.target == 90
    assert ap.trigger.window_school_weeks == 1
    assert ap.step("first_letter").review_school_days == 10  # the two-week target


def test_default_has_the_three_stages_and_letters_a_to_e() -> None:
    """The staged pathway: Letters A-E and PACE over stages 1 to 3, with the LAAO monitoring."""
    default = pathway_preset("default")
    templates = {s.template: s.stage for s in default.steps.values() if s.template}
    assert templates == {
        "letter_a": 1,
        "letter_b": 1,
        "letter_c": 2,
        "letter_d": 3,
        "letter_e": 3,
        "pace": 3,
    }
    assert default.step("monitoring").kind == "monitoring"
    assert set(default.step("next_steps").on) == {
        "attendance_contract",
        "penalty_notice",
        "parenting_contract",
    }


@pytest.mark.parametrize("name", ["default", "ap_centre"])
def test_meeting_letters_and_templates_agree(name: str) -> None:
    """A step inviting to a meeting has a template with the meeting; no other step does."""
    for step in pathway_preset(name).steps.values():
        if step.template:
            assert load_template(step.template).needs_meeting == step.meeting, step.id


def test_penalty_rules_are_the_national_framework() -> None:
    """£160 (£80 within 21 days), second at £160, at most two in three years."""
    rules = pathway_preset("default").penalties
    assert (rules.amount_pence, rules.reduced_pence, rules.second_amount_pence) == (
        16000,
        8000,
        16000,
    )
    assert (rules.window_years, rules.max_in_window, rules.reduced_within_days) == (3, 2, 21)


def broken(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the default preset with one edit."""
    text = (PATHWAYS / "default.toml").read_text(encoding="utf-8")
    assert re.search(old, text, flags=re.M), old
    path = tmp_path / "edited.toml"
    path.write_text(re.sub(old, new, text, count=1, flags=re.M), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (r'^kind = "letter"', 'kind = "postcard"', r"\[steps.letter_a\] kind must be one of"),
        (r"^min_sessions = 30", "min_sessions = 0", r"\[trigger\] min_sessions must be between"),
        (r'^target = "school"', "target = 120", r"\[pathway\] target must be between 50"),
        (r'^time = "15:30"', 'time = "half three"', r"\[meetings\] time must be a time"),
        (r"^window_years = 3", "window_years = three", r"not valid TOML"),
        (r"^max_in_window = 2", "max_in_window = 2\nmaximum = 3", r"maximum is not a pathway"),
        (
            r'not_improved = "letter_b" \}',
            'not_improved = "letter_z" }',
            r"\[steps.letter_a\] on.not_improved names no step: 'letter_z'",
        ),
        (
            r"^on = \{ held = \"action_plan\", missed = \"letter_b_again\" \}",
            'on = { held = "action_plan" }',
            r"\[steps.informal_meeting\] on must give held, missed",
        ),
        (r'^template = "letter_c"', 'template = "letter_q"', r"no letter template 'letter_q.txt'"),
        (r"^review_school_days = 30", "review_school_days = 0", r"review_school_days must be"),
    ],
)
def test_mistakes_name_file_and_key(tmp_path: Path, old: str, new: str, message: str) -> None:
    """Each kind of mistake is refused with the file name and the key."""
    with pytest.raises(PathwayError, match=message) as error:
        load_pathway(broken(tmp_path, old, new))
    assert "edited.toml" in str(error.value)


def test_unreachable_step_is_refused(tmp_path: Path) -> None:
    """A step nothing leads to is a mistake, not a silent dead end."""
    path = broken(
        tmp_path,
        r"^\[steps.with_la\]",
        '[steps.orphan]\nstage = 1\nkind = "handover"\nlabel = "x"\n\n[steps.with_la]',
    )
    with pytest.raises(PathwayError, match=r"\[steps.orphan\] is never reached"):
        load_pathway(path)


def test_unknown_preset_lists_the_choices() -> None:
    """Asking for a pathway that does not exist names those that do."""
    with pytest.raises(PathwayError, match="choose one of .*default"):
        pathway_preset("brookfields")
