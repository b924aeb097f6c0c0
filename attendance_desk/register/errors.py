"""Every refusal of the register is one of these: catch the one to catch them all."""


class RegisterError(ValueError):
    """A mark that cannot be saved; the message says which pupil, session and why."""
