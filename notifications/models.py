"""Reminders and notifications arrive with the reminders issue; the app is wired now."""
