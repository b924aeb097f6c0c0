"""Every refusal of the worklist is one of these: catch the one to catch them all."""


class FollowupError(ValueError):
    """A worklist action or policy that cannot be saved. The message says why."""
