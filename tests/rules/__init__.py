"""The rule book's worked examples: one module per rule in docs/rules.md, citing its anchor.

docs/rules.md names each rule's source: The School Attendance (Pupil Registration) (England)
Regulations 2024 ("the 2024 regulations"); Working together to improve school attendance, DfE,
August 2024 ("Working together"); or a school policy, as a policy setting.
"""
