"""The main window's parts, one module each, so `ui/main_window.py` only wires them together:
the tabs (built when first needed), the menus and shortcuts, the status bar, the desk's
dialogs, the database's location (a file or a server) and its restore, and the order the
window starts in."""
