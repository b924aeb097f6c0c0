"""Every refusal of the school set-up is one of these: catch the one to catch them all."""


class SchoolError(ValueError):
    """A school set-up or profile that cannot be saved. The message says why."""
