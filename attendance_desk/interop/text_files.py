"""Turning an MIS export's bytes into text: which encoding, which separator, and no binary.

Offices save CSV files from Excel, which writes Windows-1252 ("CSV (Comma delimited)"),
UTF-8 with a byte-order mark ("CSV UTF-8") or UTF-16 ("Unicode Text", tab-separated); MIS
exports in Europe use semicolons. Each is recognised and read as it is. A file that no
encoding explains (bytes Windows-1252 does not define, UTF-8 mixed with something else,
control characters of a binary file) is refused, naming the line where it goes wrong.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from attendance_desk.interop.errors import ImportFailed, Problems

ENCODING_ADVICE = "save it as 'CSV UTF-8' and import it again"
#: Separators an export may use, the usual first (it wins a tie).
SEPARATORS = (",", ";", "\t", "|")
SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
#: A valid UTF-8 sequence of two or more bytes: a file holding one is written in UTF-8.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
#: Control characters no text export holds (tab, line feed and carriage return are fine).
_BINARY = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Old DOS tools end a file with Ctrl+Z; it is not part of the data.
_END_OF_FILE = "\x1a"


@dataclass(frozen=True, slots=True)
class TextFile:
    """A file's text, the encoding it was read in and its separator."""

    text: str
    encoding: str
    separator: str

    def describe(self) -> str:
        """How the file was read, for the user: "Windows-1252, semicolon-separated"."""
        return f"{self.encoding}, {SEPARATOR_NAMES[self.separator]}-separated"


def read_text(path: Path, problems: Problems) -> TextFile:
    """The file's text and separator, or `ImportFailed` naming the line that cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailed([f"{path}: cannot read the file: {exc.strerror or exc}"]) from exc
    text, encoding = _decode(data, problems)
    if text.endswith(_END_OF_FILE):
        text = text[:-1]
    nul = text.find("\x00")
    found = _BINARY.search(text) if nul < 0 else None
    if nul >= 0 or found is not None:
        at = nul if found is None else found.start()
        what = "NUL bytes" if found is None else f"control character U+{ord(found.group()):04X}"
        line = text.count("\n", 0, at) + 1
        problems.fail(line, "file", f"contains {what}, so it is not a CSV text file")
    return TextFile(text, encoding, guess_separator(text))


def _decode(data: bytes, problems: Problems) -> tuple[str, str]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            line = data[: exc.start].decode("utf-16", errors="ignore").count("\n") + 1
            problems.fail(line, "encoding", f"the file is damaged UTF-16; {ENCODING_ADVICE}")
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", "UTF-8", problems), "UTF-8"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as exc:
        if _UTF8_SEQUENCE.search(data):
            line = data.count(b"\n", 0, exc.start) + 1
            problems.fail(
                line,
                "encoding",
                f"the file mixes UTF-8 with another encoding (byte 0x{data[exc.start]:02X} on "
                f"this line); {ENCODING_ADVICE}",
            )
    return _strict(data, "cp1252", "Windows-1252", problems), "Windows-1252"


def _strict(data: bytes, codec: str, name: str, problems: Problems) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.fail(
            line,
            "encoding",
            f"the file is not UTF-8 or Windows-1252 (byte 0x{data[exc.start]:02X} on this line "
            f"cannot be read as {name}); {ENCODING_ADVICE}",
        )


def guess_separator(text: str, *, lines: int = 5) -> str:
    """The separator that splits one of the first non-blank lines into the most cells
    (comma when none splits any); a title line above the header does not mislead it."""
    sample = [line for line in text.splitlines()[:50] if line.strip()][:lines]
    best, cells = ",", 1
    for separator in SEPARATORS:
        for line in sample:
            try:
                count = len(next(csv.reader(io.StringIO(line), delimiter=separator), []))
            except csv.Error:
                continue
            if count > cells:
                best, cells = separator, count
    return best
