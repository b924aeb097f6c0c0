"""The dialogs the menus open (the desk's, the roll's, the import, users, the audit log), each
imported only when first opened, and what the window does when one closes: whatever it may
have changed, the tabs showing it catch up."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog
from sqlalchemy.orm import Session, sessionmaker

from attendance_desk.ui.operations.changes import EVERYTHING

if TYPE_CHECKING:
    from attendance_desk.ui.main_window import MainWindow


class Dialogs:
    """Opens the window's dialogs (non-modal, so the office can keep the worklist in view)."""

    def __init__(
        self, window: MainWindow, factory: sessionmaker[Session], now: Callable[[], datetime]
    ) -> None:
        self._window, self._factory, self._now = window, factory, now

    def show(self, dialog: QDialog) -> QDialog:
        """Open `dialog`; when it closes, the tabs catch up with what it changed."""
        dialog.finished.connect(lambda _result: self._window.changes.announce(*EVERYTHING))
        dialog.show()
        return dialog

    def late_desk(self) -> QDialog:
        from attendance_desk.ui.desk.late_desk_dialog import LateDeskDialog

        return self.show(LateDeskDialog(self._factory, self._now, self._window))

    def report(self) -> QDialog:
        from attendance_desk.ui.desk.absence_report_dialog import ReportDialog

        return self.show(ReportDialog(self._factory, self._now, self._window))

    def n_codes(self) -> QDialog:
        from attendance_desk.ui.register.n_codes_dialog import NCodesDialog

        return self.show(NCodesDialog(self._factory, self._now, self._window))

    def leave(self) -> QDialog:
        from attendance_desk.ui.desk.leave_dialog import LeaveDialog

        return self.show(LeaveDialog(self._factory, self._now, self._window))

    def on_site(self) -> QDialog:
        from attendance_desk.ui.desk.on_site_dialog import OnSiteDialog

        return self.show(OnSiteDialog(self._factory, self._now, self._window))

    def users(self) -> QDialog:
        from attendance_desk.ui.access.users_dialog import UsersDialog

        return self.show(UsersDialog(self._factory, self._now, self._window))

    def audit(self) -> QDialog:
        from attendance_desk.ui.access.acting_user import acting_user
        from attendance_desk.ui.access.audit_dialog import AuditDialog

        return self.show(AuditDialog(self._factory, self._now, acting_user, self._window))

    def register_times(self) -> QDialog:
        from attendance_desk.ui.register.register_times_dialog import RegisterTimesDialog

        return self.show(RegisterTimesDialog(self._factory, self._now, self._window))

    def changes_export(self) -> QDialog:
        from attendance_desk.ui.interop.changes_export_dialog import ChangesExportDialog

        return self.show(ChangesExportDialog(self._factory, self._now, self._window))

    def admission(self) -> QDialog:
        from attendance_desk.ui.roll.admission_dialog import AdmissionDialog

        return self._roll(AdmissionDialog(self._factory, self._now, self._window))

    def removal(self) -> QDialog:
        from attendance_desk.ui.roll.removal_dialog import RemovalDialog

        return self._roll(RemovalDialog(self._factory, self._now, self._window))

    def _roll(self, dialog: QDialog) -> QDialog:
        """Admissions and removals change who is on roll: the lists load again after."""
        dialog.finished.connect(lambda _result: self._window.pupils_changed())
        return self.show(dialog)

    def import_wizard(self) -> QDialog:
        """The import wizard; once it has imported, every tab that lists pupils reloads."""
        from attendance_desk.ui.interop.import_wizard import ImportWizard

        wizard = ImportWizard(self._factory, self._now, parent=self._window)
        wizard.imported.connect(self._imported)
        return self.show(wizard)

    def _imported(self, message: str) -> None:
        self._window.pupils_changed()
        self._window.statusBar().showMessage(message, 15000)

    def pupil_file(self) -> QDialog | None:
        """The chronology and notes of the pupil chosen on the Pupils tab."""
        from attendance_desk.ui.pupils.pupil_file_dialog import PupilFileDialog

        window = self._window
        row = window.pupils_tab.selected_pupil()
        if row is None:
            window.show_tab("pupils")
            window.statusBar().showMessage("Choose a pupil on the Pupils tab first.", 8000)
            return None
        return self.show(
            PupilFileDialog(self._factory, self._now, pupil_id=row.pupil_id, parent=window)
        )

    def guide(self) -> QDialog:
        """The guide, open at the page for the tab on screen."""
        from attendance_desk.ui.widgets.help_guide import PAGE_OF_TAB, HelpGuide

        name = self._window.current_tab_name()
        list(self._window.tab_widgets.values())  # every tab built: its keys are on the guide
        guide = HelpGuide(self._window, page=PAGE_OF_TAB.get(name, name))
        guide.show()
        return guide
