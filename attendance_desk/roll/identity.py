"""A pupil's UPN and recorded sex as the admission register takes them: one check shared by
the Add pupil form, the CSV imports and the CTF, each message saying what is wrong."""

from __future__ import annotations

from stdnum import exceptions as stdnum_errors
from stdnum.gb import upn as upn_check

#: The sexes the school census records: male, female, unknown.
SEXES = ("M", "F", "U")


class BadUpn(ValueError):
    """Not a Unique Pupil Number; the message names what is wrong with it."""


def valid_upn(text: str) -> str:
    """A valid Unique Pupil Number, upper-case; `BadUpn` names what is wrong with it."""
    number = upn_check.compact(text)
    try:
        return str(upn_check.validate(number))
    except stdnum_errors.InvalidChecksum:
        raise BadUpn(f"bad UPN check letter in '{text}'") from None
    except stdnum_errors.InvalidLength:
        raise BadUpn(f"'{text}' is not a UPN: a UPN has 13 characters, not {len(number)}") from None
    except stdnum_errors.InvalidComponent:
        raise BadUpn(
            f"'{text}' is not a UPN: {number[1:4]} is not a local authority number"
        ) from None
    except stdnum_errors.ValidationError:
        raise BadUpn(
            f"'{text}' is not a UPN: it must be a check letter, 11 digits and a final "
            "digit or letter"
        ) from None
