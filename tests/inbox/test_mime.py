"""Reading emails of every shape with the standard `email` package: the parent's words come
out, or a note says plainly why they could not."""

from __future__ import annotations

from email.message import EmailMessage

from attendance_desk.inbox.mime import MAX_BYTES, html_to_text, read_email


def _message(body: str = "Amy is ill today.", **headers: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = headers.pop("sender", "Sarah Smith <Sarah.Smith@Example.com>")
    message["Subject"] = headers.pop("subject", "Absence")
    message["Date"] = "Mon, 08 Sep 2025 07:50:00 +0000"
    message["Message-ID"] = "<m1@example.com>"
    message.set_content(body)
    return message


def test_plain_reply_loses_the_quoted_message() -> None:
    """A reply's quoted earlier message is cut off; the original keeps it; the sender's
    address is read in lower case with the display name apart."""
    body = (
        "Amy has a temperature so she is staying home.\nThanks, Sarah\n\n"
        "On Fri, 5 Sep 2025 at 16:00, Hillside Primary <office@hillside.example> wrote:\n"
        "> Amy was not in school this morning and we have no reason.\n"
    )
    read = read_email(_message(body).as_bytes())
    assert read.sender == "sarah.smith@example.com"
    assert read.sender_name == "Sarah Smith"
    assert read.text == "Amy has a temperature so she is staying home.\nThanks, Sarah"
    assert "we have no reason" in read.original
    assert read.message_id == "m1@example.com"
    assert read.notes == ()


def test_html_only_mail_is_read_as_text() -> None:
    """An HTML-only message gives its words (no tags, no script) and says it was HTML."""
    message = EmailMessage()
    message["From"] = "kate.jones@example.org"
    message.set_content(
        "<html><head><style>p{color:red}</style><script>alert(1)</script></head><body>"
        "<p>Ollie has the <b>dentist</b> at 2pm.</p><div>Kate &amp; Tim</div></body></html>",
        subtype="html",
    )
    read = read_email(message.as_bytes())
    assert read.text == "Ollie has the dentist at 2pm.\n\nKate & Tim"
    assert "sent as HTML only: the text was taken from it" in read.notes
    assert "alert" not in read.original and "color" not in read.original


def test_plain_part_preferred_and_attachments_named_not_read() -> None:
    """With plain and HTML alternatives the plain text is read; an attachment is named in
    a note and its content never becomes text."""
    message = _message("Tom was sick in the night.")
    message.add_alternative("<p>HTML version</p>", subtype="html")
    message.add_attachment(
        b"%PDF-1.4 sick note", maintype="application", subtype="pdf", filename="sick-note.pdf"
    )
    read = read_email(message.as_bytes())
    assert read.text == "Tom was sick in the night."
    assert read.notes == ("1 attachment not read here (sick-note.pdf): open it in the mailbox",)
    assert "PDF" not in read.original


def test_forwarded_chain_is_kept_and_its_first_sender_named() -> None:
    """A forwarded message is the parent's message: its text is kept (not cut as a quote)
    and the address it was first sent from is noted."""
    body = (
        "Forwarding this from a parent.\n\n"
        "---------- Forwarded message ---------\n"
        "From: Sarah Smith <sarah.smith@example.com>\n"
        "Date: Mon, 8 Sep 2025 at 07:40\n"
        "Subject: Amy\n"
        "To: <admin@hillside.example>\n\n"
        "Amy has tonsillitis and will be off until Wednesday.\n"
    )
    read = read_email(
        _message(body, sender="admin@hillside.example", subject="Fwd: Amy").as_bytes()
    )
    assert read.forwarded_from == "sarah.smith@example.com"
    assert "Amy has tonsillitis and will be off until Wednesday." in read.text
    assert "Forwarding this from a parent." in read.text
    assert "From:" not in read.text
    assert "a forwarded message, first sent by sarah.smith@example.com" in read.notes


def test_other_character_sets_are_decoded() -> None:
    """Latin-1 and Windows-1252 bodies read correctly; an unknown charset is read as
    Windows-1252 with a note, never an error."""
    for charset, text in (("iso-8859-1", "Zoë est malade"), ("windows-1252", "Chloë’s ill")):
        raw = (
            "From: p@example.com\nSubject: x\nMIME-Version: 1.0\n"
            f"Content-Type: text/plain; charset={charset}\n"
            "Content-Transfer-Encoding: 8bit\n\n"
        ).encode() + text.encode(charset)
        assert read_email(raw).text == text
    raw = (
        b"From: p@example.com\nSubject: x\nMIME-Version: 1.0\n"
        b"Content-Type: text/plain; charset=x-made-up\nContent-Transfer-Encoding: 8bit\n\n"
        b"Zo\xeb is ill"
    )
    read = read_email(raw)
    assert read.text == "Zoë is ill"
    assert read.notes == ("an unknown character set (x-made-up): read as Windows-1252",)


def test_a_20_mb_message_is_read_from_its_start() -> None:
    """A 20 MB message (a photo attached) is read from its first part only: the text is
    there, with a note saying the rest stayed in the mailbox."""
    message = _message("Lily has a broken arm, photo of the hospital letter attached.")
    message.add_attachment(
        b"\xff" * 20_000_000, maintype="image", subtype="jpeg", filename="letter.jpg"
    )
    raw = message.as_bytes()
    read = read_email(raw[:MAX_BYTES], size=len(raw))
    assert read.text == "Lily has a broken arm, photo of the hospital letter attached."
    assert read.notes[0].startswith("a large message (27.")
    assert "only its start was read" in read.notes[0]


def test_empty_and_garbage_messages_give_a_note_not_an_error() -> None:
    """An empty body and a message with no headers at all come back as a message whose note
    says it has no text; bytes that are not mail lose their control characters."""
    for raw in (_message("").as_bytes(), b""):
        read = read_email(raw)
        assert read.text == ""
        assert "the message has no text" in read.notes
    assert read_email(b"\x00\x01\x02 binary junk\x7f").text == "binary junk"


def test_html_to_text_keeps_paragraphs() -> None:
    """Block elements become lines; entities are decoded; spaces collapse."""
    assert html_to_text("<p>One&nbsp;two</p><p>  three <br> four</p>") == "One two\n\nthree\nfour"
