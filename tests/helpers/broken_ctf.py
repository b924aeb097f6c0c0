"""Broken Common Transfer Files for the fuzz runs: a valid CTF for the fuzz school with
some values replaced by nasty ones (control characters, impossible dates, elements inside
values, huge text), an entity-expansion DOCTYPE now and then, and broken bytes."""

from __future__ import annotations

import random

from tests.helpers.broken_csv import ADAMS, CLARKE, NASTY, NEW1, Case, break_bytes

_CTF_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
{doctype}<CTfile>
  <Header>
    <DocumentName>Common Transfer File</DocumentName><CTFversion>{version}</CTFversion>
    <DateTime>2025-10-17T15:12:09</DateTime><DocumentQualifier>full</DocumentQualifier>
    <SupplierID>Example MIS</SupplierID>
    <SourceSchool><LEA>330</LEA><Estab>2105</Estab><SchoolName>Meadowbank</SchoolName>
      <AcademicYear>2025</AcademicYear></SourceSchool>
    <DestSchool><LEA>201</LEA><Estab>2000</Estab></DestSchool>
  </Header>
  <CTFpupilData>
"""
_CTF_PUPIL = """    <Pupil>
      <UPN>{upn}</UPN><Surname>{surname}</Surname><Forename>{forename}</Forename>
      <DOB>{dob}</DOB><Sex>{sex}</Sex>
      <BasicDetails><PreferredForename>{preferred}</PreferredForename>
        <NCyearActual>{year}</NCyearActual></BasicDetails>
      <Address><AddressLines><AddressLine1>{address}</AddressLine1></AddressLines></Address>
      <Contacts><Contact><Order>{order}</Order><Surname>{contact}</Surname>
        <Forename>Sam</Forename><Relationship>{relationship}</Relationship>
        <Responsibility>{responsibility}</Responsibility>
        <Phones><Phone><TelephoneType>M</TelephoneType><PhoneNo>{phone}</PhoneNo></Phone></Phones>
      </Contact></Contacts>
      <Attendance><YearData><Year>{academic}</Year><LEA>{lea}</LEA><Estab>2000</Estab>
        <SessionsPossible>4</SessionsPossible><SessionsAuthorised>0</SessionsAuthorised>
        <SessionsAttended>4</SessionsAttended><SessionsUnauthorised>0</SessionsUnauthorised>
        <AttendStartDate>{start}</AttendStartDate><AttendMarks>{marks}</AttendMarks>
      </YearData></Attendance>
    </Pupil>
"""
_CTF_VALUES: dict[str, list[str]] = {
    "upn": [NEW1, ADAMS, CLARKE],
    "surname": ["Young", "Adams"],
    "forename": ["Zoe", "Amy"],
    "dob": ["2018-02-11", "2017-05-01"],
    "sex": ["F", "M"],
    "preferred": ["Zo", "Ames"],
    "year": ["3", "4"],
    "address": ["1 High Street, Town, AB1 2CD"],
    "order": ["1", "2"],
    "contact": ["Young", "Adams"],
    "relationship": ["PAM", "PAF", "REL"],
    "responsibility": ["true", "false"],
    "phone": ["07700 900010"],
    "academic": ["2025"],
    "lea": ["201", "330"],
    "start": ["2025-09-15", "2025-09-22"],
    "marks": ["/\\/\\", "/\\I-N", "/\\HH--C1"],
    "version": ["25.0", "24.0"],
}
_CTF_NASTY = [
    *NASTY[:2],
    "&#x202E;x",
    "a&#x85;b",
    "&#10;",
    "2025-13-45",
    "9999-12-31",
    "0001-01-01",
    "<Surname>twice</Surname>",
    "<X>" * 300,
    "",
    "&amp;&lt;",
    "/" * 5_000,
    "Q9Q9",
    "-1",
    "99999",
]


def make_ctf_case(rng: random.Random) -> Case:
    values = {name: rng.choice(choices) for name, choices in _CTF_VALUES.items()}
    done: list[str] = []
    for _ in range(0 if rng.random() < 0.3 else rng.randint(1, 3)):  # 30 %: valid values
        name = rng.choice(list(values))
        values[name] = rng.choice(_CTF_NASTY)
        done.append(f"{name}=nasty")
    doctype = ""
    if rng.random() < 0.1:
        doctype = (
            '<!DOCTYPE CTfile [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;'
            '&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n'
        )
        values["surname"] = "&c;"
        done.append("entities")
    pupils = "".join(_CTF_PUPIL.format(**values) for _ in range(rng.choice([1, 1, 2])))
    text = _CTF_HEAD.format(doctype=doctype, version=values["version"]) + pupils
    text += "  </CTFpupilData>\n</CTfile>\n"
    data = text.encode("utf-8")
    if rng.random() < 0.3:
        data, how = break_bytes(rng, data)
        done.append(how)
    return Case("ctf", data, done)
