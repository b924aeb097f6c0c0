"""Counts agree with their nouns and verbs wherever the office reads them."""

from __future__ import annotations

from attendance_desk.wording import plural, verb


def test_one_is_singular_and_others_plural() -> None:
    """1 register change is; 2 register changes are; 0 addresses; thousands get commas."""
    for count, said in ((1, "1 register change is"), (2, "2 register changes are")):
        assert f"{plural(count, 'register change')} {verb(count, 'is', 'are')}" == said
    assert plural(0, "address", "addresses") == "0 addresses"
    assert plural(1200, "pupil") == "1,200 pupils"
