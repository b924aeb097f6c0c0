"""What the areas share, low in the layering: the worklist's action kinds, the outcomes of a
call, and the one rule for which safeguarding detail each viewer sees.

Kept here so the register, the worklist, the desk, safeguarding, the figures and the audit
trail's reader can all read them without importing each other.
"""
