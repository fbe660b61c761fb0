"""Every feature registers its commands, buttons and text flows on the router here."""

from bot.features import help, home, jar, planning, points, reminders, roles, sessions

ALL = (jar, sessions, points, planning, reminders, roles, home, help)
