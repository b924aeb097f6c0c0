"""Staged attendance letters: the pathway as data, letters due, templates, rendering, the log.

- `pathway`: the pathway presets (TOML in `resources/pathways/`), validated on load.
- `cases`: each pupil's case moving through the pathway's steps (the state machine);
  `review`: review periods and "attendance improved?" from the register.
- `due`: which letters are due on a day (`letters_due`), also fed to the Today worklist.
- `templates`, `recipients`, `compose`: letter templates with merge fields, one copy per
  parent with parental responsibility; `render`, `letter_parts`: the ReportLab letter.
- `template_store`: the school's own wording of a letter, kept in the database for every PC,
  with its history; `template_preview`: a template rendered for the editor's live preview.
- `sending`: sending a batch (rendered, logged with the PDF, the case moved on), re-printing.
- `penalties`: penalty notices per parent per pupil within the national limits.
- `evidence`: the evidence pack for the local authority, one PDF.
- `views`: plain rows for the screens; `cli`: the `letters` command.
"""
