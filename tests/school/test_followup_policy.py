"""Policy presets load, validate with file and key in the message, and take overrides."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from attendance_desk.models import Setting
from attendance_desk.resources import POLICIES
from attendance_desk.school.followup_policy import (
    PolicyError,
    available_presets,
    current_policy,
    load_policy,
    preset,
)


def test_every_shipped_preset_validates() -> None:
    """The default, AP-centre and Brookfields presets all load."""
    names = set(available_presets())
    assert {"default", "ap_centre", "brookfields"} <= names
    for name in names:
        assert preset(name).name


def test_default_follows_the_day_three_flowchart() -> None:
    """The default preset: visit due on day 3, CME at 10 days, N resolved within 5."""
    policy = preset()
    assert (policy.safe_and_well_visit_day, policy.cme_after_days, policy.n_code_days) == (3, 10, 5)
    assert policy.reason_expected_by == time(9, 30)


def write_variant(tmp_path: Path, old: str, new: str) -> Path:
    text = (POLICIES / "default.toml").read_text().replace(old, new)
    path = tmp_path / "broken.toml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "cme_after_days = 10",
            "cme_after_days = 45",
            r"broken.toml: \[absence\] cme_after_days must be between 1 and 30",
        ),
        (
            "dsl_alert = true",
            'dsl_alert = "yes"',
            r"\[safeguarding\] dsl_alert must be true or false",
        ),
        (
            'reason_expected_by = "09:30"',
            'reason_expected_by = "half nine"',
            r"reason_expected_by must be a time",
        ),
        ("n_code_days = 5\n", "", r"\[absence\] n_code_days is missing"),
        ("[penalty]", "[penalty]\nsessions = 3", r"\[penalty\] sessions is not a policy setting"),
        ("n_code_days = 5", "n_code_days = 5.5", r"n_code_days must be a whole number"),
        ("[preset]", "[preset", r"not valid TOML"),
    ],
)
def test_bad_preset_names_file_and_key(tmp_path: Path, old: str, new: str, message: str) -> None:
    """Each kind of mistake in a preset is refused, naming the file and the key."""
    with pytest.raises(PolicyError, match=message):
        load_policy(write_variant(tmp_path, old, new))


def test_unknown_preset_lists_the_choices() -> None:
    """Asking for a preset that does not exist lists those that do."""
    with pytest.raises(PolicyError, match="choose one of .*default"):
        preset("nonsense")


def test_settings_choose_and_tune_the_preset(session: Session) -> None:
    """The stored preset choice and threshold overrides apply; an invalid override is ignored."""
    session.add(Setting(key="policy.preset", value='"ap_centre"'))
    session.add(Setting(key="policy.override.cme_after_days", value="8"))
    session.add(Setting(key="policy.override.safe_and_well_visit_day", value="99"))
    session.flush()
    policy = current_policy(session)
    assert policy.name == "AP centre weekly cycle"
    assert policy.cme_after_days == 8
    assert policy.safe_and_well_visit_day == 3
