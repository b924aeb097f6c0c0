"""The 2024 code table and the pre-2024 mapping."""

from __future__ import annotations

import pytest

from attendance_desk.catalogues import codes


def test_every_code_is_one_or_two_characters_and_unique() -> None:
    """Codes are at most two characters and appear once."""
    assert all(1 <= len(c.code) <= 2 for c in codes.CODES)
    assert len(codes.BY_CODE) == len(codes.CODES)


@pytest.mark.parametrize("code", ["D", "X", "Q", "Y1", "Y4", "Y7", "Z", "#"])
def test_codes_outside_possible_sessions(code: str) -> None:
    """The DfE annex's not-possible codes do not count as possible sessions."""
    assert not codes.BY_CODE[code].possible


@pytest.mark.parametrize(
    ("code", "category"),
    [
        ("/", codes.Category.PRESENT),
        ("L", codes.Category.PRESENT),
        ("K", codes.Category.ATTENDING_ELSEWHERE),
        ("C2", codes.Category.AUTHORISED),
        ("I", codes.Category.AUTHORISED),
        ("U", codes.Category.UNAUTHORISED),
        ("G", codes.Category.UNAUTHORISED),
    ],
)
def test_categories(code: str, category: codes.Category) -> None:
    """Each code sits in the category the 2024 guidance gives it."""
    assert codes.BY_CODE[code].category is category


def test_reason_codes() -> None:
    """Exactly Y7, B and C carry a free-text reason."""
    assert {c.code for c in codes.CODES if c.needs_reason} == {"Y7", "B", "C"}


def test_lookup_is_case_insensitive_and_trimmed() -> None:
    """Typed input like ' y7' finds Y7."""
    assert codes.lookup(" y7").code == "Y7"


def test_unknown_code_lists_the_valid_ones() -> None:
    """An unknown code is refused with the list of valid codes."""
    with pytest.raises(codes.UnknownCode, match="valid codes are: / .* Y7"):
        codes.lookup("H")


@pytest.mark.parametrize(
    ("old", "new"), [("H", "C"), ("J", "J1"), ("Y", "Y7"), ("F", "C"), ("I", "I")]
)
def test_legacy_mapping(old: str, new: str) -> None:
    """Pre-2024 codes map to the current set; unchanged codes pass through."""
    assert codes.map_legacy(old) == new
    assert new in codes.BY_CODE


def test_possible_is_the_four_counting_categories() -> None:
    """Possible sessions are exactly present, elsewhere, authorised and unauthorised codes."""
    counted = (
        codes.PRESENT_CODES
        + codes.ATTENDING_ELSEWHERE_CODES
        + codes.AUTHORISED_CODES
        + codes.UNAUTHORISED_CODES
    )
    assert sorted(counted) == sorted(codes.POSSIBLE_CODES)
