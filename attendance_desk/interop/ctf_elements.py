"""The CTF vocabulary Attendance Desk reads: which elements, and the contact relationships.

Elements not listed under their parent in `KNOWN` are reported as ignored on import.
"""

from __future__ import annotations

#: The common basic data set's contact relationship codes, as the office words them.
#: A code not listed here is kept as it is.
RELATIONSHIPS: dict[str, str] = {
    "PAM": "Mother",
    "PAF": "Father",
    "STM": "Stepmother",
    "STF": "Stepfather",
    "GRM": "Grandmother",
    "GRF": "Grandfather",
    "FOM": "Foster mother",
    "FOF": "Foster father",
    "CAR": "Carer",
    "FAM": "Family member",
    "REL": "Relative",
    "CHM": "Childminder",
    "SWR": "Social worker",
    "DOC": "Doctor",
    "OTH": "Other",
}

#: The elements read under each parent; anything else is reported and skipped.
KNOWN: dict[str, tuple[str, ...]] = {
    "CTfile": ("Header", "CTFpupilData"),
    "Header": (
        "DocumentName",
        "CTFversion",
        "DateTime",
        "DocumentQualifier",
        "SupplierID",
        "SourceSchool",
        "DestSchool",
    ),
    "SourceSchool": ("LEA", "Estab", "SchoolName", "AcademicYear"),
    "DestSchool": ("LEA", "Estab"),
    "CTFpupilData": ("Pupil",),
    "Pupil": (
        "UPN",
        "Surname",
        "Forename",
        "DOB",
        "Sex",
        "Gender",
        "BasicDetails",
        "LookedAfter",
        "Address",
        "Contacts",
        "Attendance",
    ),
    "LookedAfter": ("InCare", "CareAuthority"),
    "BasicDetails": ("PreferredSurname", "PreferredForename", "NCyearActual"),
    "Contacts": ("Contact",),
    "Contact": (
        "Order",
        "Title",
        "Surname",
        "Forename",
        "Relationship",
        "Responsibility",
        "Phones",
        "Email",
    ),
    "Phones": ("Phone",),
    "Phone": ("TelephoneType", "PhoneNo"),
    "Attendance": ("YearData",),
    "YearData": (
        "Year",
        "LEA",
        "Estab",
        "SchoolName",
        "SessionsPossible",
        "SessionsAuthorised",
        "SessionsAttended",
        "SessionsUnauthorised",
        "AttendSessions",
        "AttendStartDate",
        "AttendMarks",
    ),
    "AttendSessions": ("AttendStartDate", "AttendMarks"),
}
