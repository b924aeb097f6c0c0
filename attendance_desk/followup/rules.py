"""The follow-up engine's front door: the worklist, its actions and the kind catalogue.

`actions_for_day` is the one entry point for reading the list: the Today tab, the Calls
panel, the figures and the `actions` command all call it, so they always agree.
`raise_actions` saves what was raised, so an action stays until a person closes it.
"""

from attendance_desk.followup.actions import Action, is_vulnerable
from attendance_desk.followup.kinds import KIND_LABELS, ROLE_OF, ActionKind
from attendance_desk.followup.raising import raise_actions
from attendance_desk.followup.worklist import actions_for_day

__all__ = [
    "KIND_LABELS",
    "ROLE_OF",
    "Action",
    "ActionKind",
    "actions_for_day",
    "is_vulnerable",
    "raise_actions",
]
