"""Every refusal of the letters is one of these: catch the one to catch them all."""


class LettersError(ValueError):
    """A letter, case, pathway, penalty or template that cannot be saved or sent; the
    message says why."""
