"""Reports for the head and SLT: whole-school and group figures, trends, PA lists, the pack.

No Qt here: the Reports tab, the weekly SLT pack and the command line all call these.

- `tally`: one pass over a range's marks, from which every range figure is read.
- `breakdowns`: the headline against the target, and figures by group with pupil counts.
- `codes_used`: how many sessions each code was used for.
- `trends`: attendance week by week, by day of the week, and PA half-term by half-term.
- `lists`: the persistent-absence and at-risk lists, with CSV export.
- `ranges`: this week, this half-term, this year.
- `report`: everything the Reports tab shows, in one call.
- `formatting`, `palette`: how figures are written and charts coloured, screen and paper alike.
- `weekly`, `pdf_charts`, `slt_pack`: the weekly SLT pack as a PDF; `cli` renders it to a file.
"""
