"""The database tables, one module per aggregate; import from here."""

from attendance_desk.models.base import Base
from attendance_desk.models.desk import LeaveRequest, SignOut
from attendance_desk.models.followup import (
    AbsenceReport,
    ActionOutcome,
    ActionSweep,
    ContactAttempt,
    OutboxMessage,
    RaisedAction,
    SessionReview,
)
from attendance_desk.models.groups import RegGroup, YearGroup
from attendance_desk.models.inbox import InboxMessage, InboxProposal
from attendance_desk.models.letters import (
    LetterLog,
    LetterTemplateVersion,
    PathwayCase,
    PathwayStep,
    PenaltyNotice,
)
from attendance_desk.models.marks import Mark, MarkAmendment
from attendance_desk.models.pupils import Contact, Pupil, SiblingLink, SiblingSchool
from attendance_desk.models.roll import ChangeExport, RollChange
from attendance_desk.models.safeguarding import CaseNote, NextStep, SafeAndWellCheck
from attendance_desk.models.school import AcademicYear, Closure, School, Term
from attendance_desk.models.settings import BackupLockRecord, Setting
from attendance_desk.models.users import AuditChainHead, AuditEvent, LoginFailure, User

__all__ = [
    "AbsenceReport",
    "ActionOutcome",
    "ActionSweep",
    "ContactAttempt",
    "OutboxMessage",
    "SessionReview",
    "AcademicYear",
    "AuditChainHead",
    "AuditEvent",
    "BackupLockRecord",
    "Base",
    "CaseNote",
    "ChangeExport",
    "Closure",
    "InboxMessage",
    "InboxProposal",
    "Contact",
    "LeaveRequest",
    "LetterLog",
    "LetterTemplateVersion",
    "LoginFailure",
    "Mark",
    "MarkAmendment",
    "NextStep",
    "PathwayCase",
    "PathwayStep",
    "PenaltyNotice",
    "RaisedAction",
    "Pupil",
    "RollChange",
    "RegGroup",
    "SafeAndWellCheck",
    "School",
    "Setting",
    "SignOut",
    "SiblingLink",
    "SiblingSchool",
    "Term",
    "User",
    "YearGroup",
]
