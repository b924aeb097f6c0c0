"""The command line's own value types: a date, a time of day, a moment, each refused with
a message saying how to write it (argparse prints it beside the option's name)."""

from __future__ import annotations

import argparse
from datetime import date, datetime, time


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (use YYYY-MM-DD)") from None


def clock_time(text: str) -> time:
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a time of day (use HH:MM)") from None


def moment(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date and time (use YYYY-MM-DDTHH:MM)"
        ) from None
