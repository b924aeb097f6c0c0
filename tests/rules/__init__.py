"""The rule book: one module per rule the app follows, each test a worked example citing the
regulation, the DfE guidance or the school policy (seed) it comes from.

Sources: The School Attendance (Pupil Registration) (England) Regulations 2024 ("the 2024
regulations"); Working together to improve school attendance, DfE, August 2024 ("Working
together"); the school policies in seeds 000-004.
"""
