"""CSV import and export in the layouts the README's "CSV layouts" gives (and the CTF).

Every import checks the whole file first and raises `ImportFailed` listing every problem
as `file:line: field: problem`, having written nothing; otherwise it writes in the caller's
session (flushed, not committed) and returns a summary. Every export writes the layout its
import reads, so an exported file imports back unchanged.
"""

from attendance_desk.interop.csv_calendar import CalendarSummary, export_calendar, import_calendar
from attendance_desk.interop.csv_contacts import ContactsSummary, export_contacts, import_contacts
from attendance_desk.interop.csv_marks import MarksSummary, import_marks
from attendance_desk.interop.csv_marks_export import export_marks
from attendance_desk.interop.csv_pupils import PupilsSummary, export_pupils, import_pupils
from attendance_desk.interop.errors import ImportFailed

__all__ = [
    "CalendarSummary",
    "ContactsSummary",
    "ImportFailed",
    "MarksSummary",
    "PupilsSummary",
    "export_calendar",
    "export_contacts",
    "export_marks",
    "export_pupils",
    "import_calendar",
    "import_contacts",
    "import_marks",
    "import_pupils",
]
