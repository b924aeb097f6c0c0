"""Attendance Desk: the school office's attendance, first-day calls and safeguarding tool."""

__version__ = "0.1.0"
