"""The evacuation list: every on-site pupil under their group, signed-out pupils apart."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from attendance_desk.desk import onsite
from attendance_desk.desk.onsite import (
    LATE,
    PRESENT,
    SIGNED_OUT,
    FireList,
    OnSiteGroup,
    OnSitePupil,
)
from attendance_desk.printing.evacuation import EvacuationData, EvacuationList, evacuation_data
from tests.helpers.builders import add_pupil, build_school, mark_days
from tests.printing.pdftext import pages

TAKEN = datetime(2025, 9, 8, 10, 32)
SIGNED_OUT_HEADING = "Signed out — not on site"


def pupil(i: int, name: str, late: bool = False) -> OnSitePupil:
    if late:
        return OnSitePupil(i, f"UPN{i}", name, LATE, "L", "late")
    return OnSitePupil(i, f"UPN{i}", name, PRESENT, "/")


def group(name: str, *pupils: str, late: tuple[str, ...] = ()) -> OnSiteGroup:
    return OnSiteGroup(name, tuple(pupil(i, p, p in late) for i, p in enumerate(pupils)))


def data_of(*groups: OnSiteGroup) -> EvacuationData:
    return EvacuationData("Hillside Primary", FireList(TAKEN, groups))


def sample() -> EvacuationData:
    finn = OnSitePupil(99, "UPN99", "Finn Ford", SIGNED_OUT, "/", "out 10:05 dentist")
    three_a = group("3A", "Amy Adams", "Ben Baker", "Cara Cole", late=("Ben Baker",))
    return data_of(
        OnSiteGroup("3A", (*three_a.pupils, finn)),
        group("4B", "Dev Das", "Eve Ellis"),
    )


def render(data: EvacuationData) -> list[str]:
    return pages(EvacuationList(printed_at=TAKEN).render(data))


def test_total_headings_and_every_on_site_pupil() -> None:
    """The grand total, one heading per group with its count, and every on-site name."""
    text = "\n".join(render(sample()))
    assert "On site at 10:32: 5 pupils in 2 groups" in text
    assert "3A — 3 on site" in text
    assert "4B — 2 on site" in text
    for name in ("Amy Adams", "Ben Baker", "Cara Cole", "Dev Das", "Eve Ellis"):
        assert name in text
    assert "late L" in text


def test_signed_out_pupils_only_in_their_own_section() -> None:
    """A signed-out pupil is listed after the signed-out heading and in no group table."""
    text = "\n".join(render(sample()))
    on_site_part, _, out_part = text.partition(SIGNED_OUT_HEADING)
    assert out_part, "the signed-out section is missing"
    assert "Finn Ford" not in on_site_part
    assert "Finn Ford" in out_part
    assert "out 10:05 dentist" in out_part
    assert "1 pupil" in out_part
    assert not any(n in out_part for n in ("Amy Adams", "Dev Das"))


def test_no_signed_out_pupils_says_so() -> None:
    """With nobody out the final section still appears, saying none are signed out."""
    data = data_of(group("3A", "Amy Adams"), group("4B", "Dev Das"))
    text = " ".join(" ".join(render(data)).split())
    assert f"{SIGNED_OUT_HEADING}: 0 pupils" in text
    assert "No pupils are signed out." in text
    assert "Nobody is signed out" in text


def test_page_x_of_n_on_every_page() -> None:
    """Each page ends with its number and the total."""
    texts = render(sample())
    for number, page in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in page


def test_a_group_is_kept_on_one_page() -> None:
    """A group that fits on a page is not split between two."""
    data = data_of(*(group(f"G{g}", *(f"Pupil {g}-{i:02d}" for i in range(20))) for g in range(4)))
    for page in render(data):
        for g in range(4):
            names = [f"Pupil {g}-{i:02d}" for i in range(20)]
            present = sum(name in page for name in names)
            assert present in (0, 20)


def test_large_school_lists_everyone() -> None:
    """40 groups and 1,200 pupils: the total, every last name and a correct page count."""
    data = data_of(
        *(group(f"{g:02d}X", *(f"Pupil {g}-{i:02d}" for i in range(30))) for g in range(40))
    )
    texts = pages(EvacuationList(printed_at=TAKEN).render(data))
    assert "On site at 10:32: 1,200 pupils in 40 groups" in texts[0]
    assert f"Page {len(texts)} of {len(texts)}" in texts[-1]
    assert "Pupil 39-29" in "".join(texts)


def test_evacuation_data_from_the_database(session: Session) -> None:
    """Built from the school: present and late pupils on site, a signed-out one listed apart."""
    _, user = build_school(session)
    amy = add_pupil(session, 1, surname="Adams", forename="Amy")
    ben = add_pupil(session, 2, surname="Baker", forename="Ben")
    cal = add_pupil(session, 3, surname="Cole", forename="Cal", year="4", group="4B")
    monday = date(2025, 9, 8)
    for pupil, code in ((amy, "/"), (ben, "L"), (cal, "/")):
        mark_days(session, pupil, user, {(monday, "AM"): code})
    onsite.sign_out(
        session,
        pupil_id=amy.id,
        reason="dentist",
        collected_by="Mum",
        user=user,
        now=datetime(2025, 9, 8, 10, 5),
    )
    data = evacuation_data(session, TAKEN, "Hillside Primary")
    assert [(g.group, [p.name for p in g.pupils]) for g in data.groups] == [
        ("3A", ["Ben Baker"]),
        ("4B", ["Cal Cole"]),
    ]
    assert list(data.signed_out) == [("Amy Adams", "3A", "out 10:05 dentist")]
    text = "\n".join(render(data))
    assert "On site at 10:32: 2 pupils in 2 groups" in text
