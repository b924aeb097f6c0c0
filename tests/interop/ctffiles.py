"""Small Common Transfer Files for tests, written around the pupils each test needs."""

from __future__ import annotations

import textwrap
from pathlib import Path

SAMPLE = (
    Path(__file__).parents[2] / "resources" / "samples" / "ctf" / "arrivals-from-meadowbank.xml"
)


def write_ctf(folder: Path, name: str, pupils: str, *, version: str = "25.0") -> Path:
    """A CTF from Meadowbank (LA 330) holding the `<Pupil>` elements in `pupils`.

    The header takes lines 1 to 16, so the first line of `pupils` is line 17.
    """
    head = f"""\
        <?xml version="1.0" encoding="UTF-8"?>
        <CTfile>
          <Header>
            <DocumentName>Common Transfer File</DocumentName>
            <CTFversion>{version}</CTFversion>
            <DateTime>2025-10-17T15:12:09</DateTime>
            <DocumentQualifier>full</DocumentQualifier>
            <SupplierID>Example MIS</SupplierID>
            <SourceSchool>
              <LEA>330</LEA><Estab>2105</Estab>
              <SchoolName>Meadowbank Primary School</SchoolName>
              <AcademicYear>2025</AcademicYear>
            </SourceSchool>
            <DestSchool><LEA>201</LEA><Estab>2000</Estab></DestSchool>
          </Header>
          <CTFpupilData>
        """
    path = folder / name
    text = (
        textwrap.dedent(head)
        + textwrap.dedent(pupils).strip("\n")
        + "\n</CTFpupilData>\n</CTfile>\n"
    )
    path.write_text(text, encoding="utf-8")
    return path
