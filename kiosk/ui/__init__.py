"""PySide6 screens: thin views over ``kiosk.services``; no business rules, never the store."""
