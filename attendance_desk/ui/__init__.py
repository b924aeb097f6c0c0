"""The Qt user interface: widgets, table models and dialogs; the only place Qt is imported."""
