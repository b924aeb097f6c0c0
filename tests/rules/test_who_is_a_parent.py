"""Who counts as a parent, for penalty notices and for the deletion return.

Section 576 of the Education Act 1996: a "parent" is anyone with parental responsibility or
who has care of the child, so a penalty notice may go to a step-parent the child lives with,
not only to those with PR (the national framework issues notices per parent, per child).
Regulation 13(4) of the 2024 regulations: the deletion return gives the name and address of
the parents with whom the pupil normally resides; a parent who lives elsewhere is not one.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from attendance_desk.letters.penalties import PenaltyError, issue_penalty_notice, penalty_options
from attendance_desk.models import Contact, Pupil
from attendance_desk.pathway.stages import pathway_preset
from attendance_desk.printing.deletion_return import deletion_return_data
from attendance_desk.roll import changes as roll
from tests.rules.conftest import School

DAY = date(2025, 11, 10)
NOW = datetime(2025, 11, 10, 10, 0)


def blended_family(school: School) -> Pupil:
    """Amy lives with her mother (PR) and stepfather Mark (no PR); her father (PR) lives
    elsewhere; her uncle is an emergency contact who does not live with her."""
    amy = school.pupil(1, surname="Adams", forename="Amy")
    mother, father = amy.contacts
    father.lives_with, father.address = False, "Flat 4, 88 Stratford Road, Birmingham B11 1AN"
    amy.contacts += [
        Contact(priority=3, name="Mark Jones", relationship_to_pupil="Stepfather", lives_with=True),
        Contact(priority=4, name="Ian Adams", relationship_to_pupil="Uncle", lives_with=False),
    ]
    school.session.flush()
    return amy


def test_a_penalty_notice_may_go_to_a_stepfather_with_care(school: School) -> None:
    """The options are the mother, the father and the stepfather; the notice to the
    stepfather is recorded; the uncle is refused."""
    amy = blended_family(school)
    rules = pathway_preset("default").penalties
    options = penalty_options(school.session, pupil_id=amy.id, day=DAY, rules=rules)
    assert [o.parent_name for o in options] == ["Sarah Adams", "David Adams", "Mark Jones"]
    stepfather, uncle = amy.contacts[2], amy.contacts[3]
    notice = issue_penalty_notice(
        school.session, pupil_id=amy.id, contact_id=stepfather.id, day=DAY, rules=rules,
        user=school.office, now=NOW,
    )  # fmt: skip
    assert (notice.parent_name, notice.rate) == ("Mark Jones", "first")
    with pytest.raises(PenaltyError, match="Ian Adams is not a parent in law"):
        issue_penalty_notice(
            school.session, pupil_id=amy.id, contact_id=uncle.id, day=DAY, rules=rules,
            user=school.office, now=NOW,
        )  # fmt: skip


def test_the_deletion_return_lists_the_parents_she_lives_with(school: School) -> None:
    """Amy moves away: the return names her mother and stepfather, not her father."""
    amy = blended_family(school)
    change = roll.remove(
        school.session,
        pupil_id=amy.id,
        ground="moved_away",
        effective_on=DAY,
        details="Moved to Leeds with her mother; confirmed by phone",
        destination_address="1 Park Row, Leeds LS1 5AB",
        user=school.office,
        now=NOW,
    )
    data = deletion_return_data(school.session, change.id)
    assert [p.name for p in data.parents] == ["Sarah Adams", "Mark Jones"]
