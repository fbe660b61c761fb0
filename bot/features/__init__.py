"""Every feature registers its commands, buttons and text flows on the router here."""

from bot.features import help, home, jar, points, roles, sessions

ALL = (jar, sessions, points, roles, home, help)
