"""Every feature registers its commands, buttons and text flows on the router here."""

from bot.features import (dialoogsessie, help, home, intervisie, jar, planning, points, reminders,
                          roles, sessions, stappenplan, team_reflectie, teamacties)
from bot.features import afspraken, gedachte, gesprek, gesprekken, terugblik, verslag
from bot.features import plan, privacy, reflectie, safety
from bot.features import answer

ALL = (jar, sessions, points, planning, reminders, roles, gedachte, gesprek, verslag, terugblik,
       afspraken, gesprekken, reflectie, plan, safety, privacy, intervisie, dialoogsessie,
       teamacties, team_reflectie, stappenplan, answer, home, help)
