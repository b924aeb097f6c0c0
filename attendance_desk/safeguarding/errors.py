"""Every refusal of safeguarding is one of these: catch the one to catch them all."""


class SafeguardingError(ValueError):
    """A safe-and-well check, note or document that cannot be saved or printed; the
    message says why."""
