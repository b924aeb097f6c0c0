"""What came of one attempt to reach a contact, and how it reads on screen and on paper.

The call log stores the key; the Calls panel, the safe-and-well check, the chronology, the
letters' evidence and the figures show the label.
"""

from __future__ import annotations

OUTCOMES: dict[str, str] = {
    "answered": "Answered: reason given",
    "answered_concern": "Answered: reason does not reassure",
    "no_answer": "No answer",
    "voicemail": "Voicemail left",
    "wrong_number": "Wrong number",
    "text_sent": "Text sent",
    "email_sent": "Email sent",
}
