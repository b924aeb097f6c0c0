"""Staged attendance letters as documents: templates, rendering, sending, the log.

Which letter is due, and each pupil's case on the pathway, are the pathway's rules
(`attendance_desk.pathway`), which the worklist asks too.

- `templates`, `recipients`, `compose`: letter templates with merge fields, one copy per
  parent with parental responsibility; `render`, `letter_parts`: the ReportLab letter.
- `template_store`: the school's own wording of a letter, kept in the database for every PC,
  with its history; `template_preview`: a template rendered for the editor's live preview.
- `sending`: sending a batch (rendered, logged with the PDF, the case moved on), re-printing.
- `penalties`: penalty notices per parent per pupil within the national limits.
- `evidence`: the evidence pack for the local authority, one PDF.
- `views`: plain rows for the screens (the `letters` command is `commands/letters.py`).
"""
