"""Every refusal at the office desk (calls, late arrivals, sign-outs, leave, parents' reports)
is one of these: catch the one to catch them all. The desk writes the register, so its
refusals are the register's too."""

from attendance_desk.register.errors import RegisterError


class DeskError(RegisterError):
    """Something the desk cannot record as asked; the message says why."""
