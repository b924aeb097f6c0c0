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

#: How offices word a relationship, for the code a CTF carries ("Uncle" is a relative,
#: not "Other"). Compared without case, spaces or hyphens; a word not listed is `OTH`.
_WORDS: dict[str, str] = {
    **{label: code for code, label in RELATIONSHIPS.items()},
    "mum": "PAM",
    "birth mother": "PAM",
    "dad": "PAF",
    "birth father": "PAF",
    "step mother": "STM",
    "step father": "STF",
    "grandma": "GRM",
    "gran": "GRM",
    "nan": "GRM",
    "nana": "GRM",
    "granny": "GRM",
    "grandad": "GRF",
    "granddad": "GRF",
    "grandpa": "GRF",
    "foster carer": "CAR",
    "guardian": "CAR",
    "special guardian": "CAR",
    "kinship carer": "CAR",
    "aunt": "REL",
    "auntie": "REL",
    "uncle": "REL",
    "brother": "REL",
    "sister": "REL",
    "half brother": "REL",
    "half sister": "REL",
    "step brother": "REL",
    "step sister": "REL",
    "cousin": "REL",
    "great grandmother": "REL",
    "great grandfather": "REL",
    "other family member": "FAM",
    "other relative": "REL",
    "family friend": "OTH",
    "friend": "OTH",
    "neighbour": "OTH",
    "gp": "DOC",
}
_CODES = {"".join(word.split()).replace("-", "").casefold(): code for word, code in _WORDS.items()}


def relationship_code(word: str) -> str:
    """The CTF code for a relationship as the office words it (`OTH` when none fits)."""
    if word.upper() in RELATIONSHIPS:
        return word.upper()
    return _CODES.get("".join(word.split()).replace("-", "").casefold(), "OTH")


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
