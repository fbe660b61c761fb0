-- Tables take the name of the practice concept they hold (see ARCHITECTURE.md, glossary).
-- ALTER TABLE ... RENAME keeps rows, indexes and the foreign keys that point here.
ALTER TABLE coordinators RENAME TO coordinatoren;
ALTER TABLE jar_custom RENAME TO pot_eigen_vragen;
ALTER TABLE jar_disabled RENAME TO pot_uit;
ALTER TABLE jar_drawn RENAME TO pot_getrokken;
ALTER TABLE jar_sessions RENAME TO kletspot_sessies;
ALTER TABLE jar_history RENAME TO trekkingen;
ALTER TABLE points RENAME TO aanknopingspunten;
ALTER TABLE nudge_plans RENAME TO planningen;
ALTER TABLE reminders RENAME TO herinneringen;
ALTER TABLE team_dialogues RENAME TO dialoogsessies;
ALTER TABLE team_actions RENAME TO teamacties;
ALTER TABLE team_meetings RENAME TO bijeenkomsten;
ALTER TABLE team_steps RENAME TO stappenplan_stand;
ALTER TABLE team_rounds RENAME TO reflectie_rondes;
ALTER TABLE reflections RENAME TO reflecties;
ALTER TABLE reflection_answers RENAME TO reflectie_antwoorden;
ALTER TABLE personal_plans RENAME TO persoonlijke_plannen;
ALTER TABLE help_country RENAME TO hulp_land;
