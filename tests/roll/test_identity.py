"""The admission register's UPN check, shared by the Add pupil form and the imports."""

from __future__ import annotations

import pytest

from attendance_desk.roll.identity import BadUpn, valid_upn
from tests.helpers.builders import make_upn


def test_a_upn_is_read_compact_and_upper_case() -> None:
    """Spaces and a lower-case check letter are put right; the UPN comes back as stored."""
    upn = make_upn(7)
    assert valid_upn(f" {upn[:5].lower()} {upn[5:]}") == upn


@pytest.mark.parametrize(
    ("typed", "says"),
    [("123", "a UPN has 13 characters, not 3"), ("A12345678901B", "not a UPN")],
)
def test_a_bad_upn_says_what_is_wrong(typed: str, says: str) -> None:
    """A wrong length or shape is refused with a message naming the problem."""
    with pytest.raises(BadUpn, match=says):
        valid_upn(typed)
