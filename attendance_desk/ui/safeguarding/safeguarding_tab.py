"""The Safe and well tab: today's cases for the DSL, each one click from its wizard."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.access.permissions import NotAllowed, Permission, allowed
from attendance_desk.models import User
from attendance_desk.safeguarding.cases import Case, open_cases
from attendance_desk.ui.operations.changes import Change, announce
from attendance_desk.ui.operations.run import read
from attendance_desk.ui.safeguarding.safe_and_well_wizard import SafeAndWellWizard

AT_RISK = QColor("#a4280b")


class SafeguardingTab(QWidget):
    """The case list and 'Open the check'; the wizard opens only for those allowed."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        now: Callable[[], datetime],
        user: Callable[[Session], User],
    ) -> None:
        super().__init__()
        self.setObjectName("tab_safeguarding")
        self._factory, self._now, self._user = factory, now, user
        self._cases: list[Case] = []
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.tree = QTreeWidget(accessibleName="Children needing a safeguarding decision")
        self.tree.setHeaderLabels(["Pupil", "Group", "Day", "Check", "Needs"])
        self.tree.setRootIsDecorated(False)
        self.tree.header().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.tree.setColumnWidth(0, 220)
        self.open_button = QPushButton("&Open the safe-and-well check")
        self.open_button.clicked.connect(self.open_selected)
        self.tree.itemActivated.connect(lambda _item: self.open_selected())
        self.note = QLabel()
        self.note.setObjectName("safeguarding_note")
        self.note.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.note, 1)
        row.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.tree, 1)
        layout.addLayout(row)
        self._loaded = False  # filled when first shown: the worklist is not computed twice

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if not self._loaded:
            self.reload()

    def reload(self) -> None:
        self._loaded = True
        today = self._now().date()

        def load(session: Session) -> tuple[list, bool]:
            user = self._user(session)
            cases = open_cases(session, today, viewer=user)
            return cases, allowed(user, Permission.RECORD_SAFEGUARDING)

        self._cases, may_open = read(self._factory, load)
        self.tree.clear()
        for case in self._cases:
            item = QTreeWidgetItem(
                [
                    case.name,
                    case.group,
                    str(case.day or ""),
                    case.check_state or "not started",
                    ", ".join(case.needs),
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, case.pupil_id)
            if case.at_risk:
                for column in range(5):
                    item.setForeground(column, QBrush(AT_RISK))
            self.tree.addTopLevelItem(item)
        if self._cases and (first := self.tree.topLevelItem(0)) is not None:
            self.tree.setCurrentItem(first)
        self.heading.setText(
            f"{len(self._cases)} children need a safeguarding decision"
            if self._cases
            else "No child needs a safeguarding decision today."
        )
        self.open_button.setEnabled(may_open and bool(self._cases))
        self.note.setText(
            "" if may_open else "Only the DSL, deputy DSL and headteacher can open a check."
        )

    def open_for(self, pupil_id: int) -> SafeAndWellWizard | None:
        """Choose `pupil_id`'s case and open their check, for those allowed (the others see
        the case chosen, and the note saying who may open it)."""
        if not self._loaded:
            self.reload()
        for attempt in range(2):
            for i in range(self.tree.topLevelItemCount()):
                item = self.tree.topLevelItem(i)
                if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == pupil_id:
                    self.tree.setCurrentItem(item)
                    return self.open_selected() if self.open_button.isEnabled() else None
            if attempt == 0:
                self.reload()  # a case raised since the list was loaded
        return None

    def open_selected(self) -> SafeAndWellWizard | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        user_id = read(self._factory, lambda session: self._user(session).id)
        try:
            wizard = SafeAndWellWizard(
                self._factory,
                self._now,
                user_id=user_id,
                pupil_id=item.data(0, Qt.ItemDataRole.UserRole),
                parent=self,
            )
        except NotAllowed as exc:
            QMessageBox.information(self, "Safe and well", str(exc))
            return None
        wizard.finished.connect(lambda _result: self.reload())
        # Each page saved as it was answered: the worklist catches up whichever way it ends.
        wizard.finished.connect(lambda _result: announce(self, Change.SAFEGUARDING))
        wizard.show()
        return wizard
