"""The staged attendance pathway: where each pupil stands and which letter is due.

It sits below the worklist (which puts the letters due on Today) and below `letters/`
(which writes, prints and sends them), so both can ask it without a circle.

- `stages`: the pathway presets (TOML in `resources/pathways/`), validated on load.
- `cases`: each pupil's case moving through the pathway's steps (the state machine);
  `review`: review periods and "attendance improved?" from the register; `periods`: the
  periods a stage's threshold is measured over.
- `due`: which letters are due on a day (`letters_due`), for the Letters tab and Today;
  `named`: the pupils' names and classes it shows.
- `errors`: `LettersError`, the one refusal of the letters and their pathway.
"""
