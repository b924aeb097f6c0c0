"""First launch: set the school up and create its administrator, saved together at Finish.

Each page checks its part with a dry run of the very service that stores it
(`school_profile.check`), so a problem is said where it can be put right and Finish cannot
fail half-way. Closing the wizard early stores nothing: the next launch starts it again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QWizard, QWizardPage
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.resources import ROOT
from attendance_desk.school import profile as school_profile
from attendance_desk.school import settings
from attendance_desk.school.profile import Administrator, Part, ProfileError
from attendance_desk.ui.operations.run import keep, read
from attendance_desk.ui.school.welcome_calendar_pages import TermsPage, TimesPage
from attendance_desk.ui.school.welcome_pages import (
    AdminPage,
    ProfilePage,
    PupilsPage,
    SchoolPage,
    TargetPage,
    WelcomePage,
)

LOGO = ROOT / "icons" / "attendance-desk.svg"


class WelcomeWizard(QWizard):
    """Welcome → school → term dates → register times → target and preset → login → pupils.

    After `exec()` is accepted, `user_id` is the new administrator and `choice` says what
    to do with pupils: `"import"`, `"demo"` or `"later"`.
    """

    def __init__(
        self,
        factory: sessionmaker[Session],
        *,
        now: Callable[[], datetime] = datetime.now,
        today: Callable[[], date] = date.today,
        parent: object = None,
    ) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.setObjectName("welcome_wizard")
        self.setWindowTitle("Set up Attendance Desk")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Finish")
        if LOGO.exists():  # the app's icon, when this build ships it
            self.setPixmap(QWizard.WizardPixmap.LogoPixmap, QIcon(str(LOGO)).pixmap(48, 48))
        self._factory, self._now = factory, now
        self.profile, longest = read(
            factory,
            lambda session: (
                school_profile.draft(session, today=today()),
                settings.get(session, settings.REGISTER_MAX_OPEN_MINUTES),
            ),
        )
        self.admin: Administrator | None = None
        self.warnings: tuple[str, ...] = ()
        self.user_id: int | None = None
        self.choice = "later"
        self.pages_by_part: dict[Part, int] = {}
        self.addPage(WelcomePage())
        self.pupils_page = PupilsPage()
        pages: tuple[tuple[tuple[Part, ...], QWizardPage], ...] = (
            (("school",), SchoolPage()),
            (("terms",), TermsPage()),
            (("register_times",), TimesPage(longest)),
            (("target", "preset"), TargetPage()),
            (("administrator",), AdminPage()),
        )
        for parts, page in pages:
            page_id = self.addPage(page)
            self.pages_by_part.update(dict.fromkeys(parts, page_id))
        self.addPage(self.pupils_page)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(760, 620)

    def verify(self, page: ProfilePage, parts: set[str]) -> bool:
        """Dry-run the whole profile so far; refuse to move on only for this page's parts."""
        profile, admin, now = self.profile, self.admin, self._now()
        try:
            stored = read(
                self._factory,
                lambda session: school_profile.check(
                    session, profile=profile, admin=admin, now=now
                ),
            )
        except ProfileError as exc:
            if exc.part in parts:
                page.say(str(exc))
                return False
            return True  # a later page's part: that page will say so
        self.warnings = stored.warnings
        page.say("")
        return True

    def accept(self) -> None:
        """Store the school and the administrator in one transaction, then close."""
        admin, profile, now = self.admin, self.profile, self._now()
        assert admin is not None  # the login page came before this one
        try:  # nobody is logged in yet: the school's first administrator is being made
            stored = keep(
                self._factory,
                lambda session: school_profile.set_up(
                    session, profile=profile, admin=admin, now=now
                ),
                also_on=(),
            )
        except ProfileError as exc:  # e.g. another PC set the school up meanwhile
            target = self.pages_by_part[exc.part]
            while self.currentId() != target and self.currentId() != self.startId():
                self.back()
            page = self.currentPage()
            if isinstance(page, ProfilePage):
                page.say(str(exc))
            return
        self.user_id = stored.user_id
        self.choice = self.pupils_page.choice()
        super().accept()
