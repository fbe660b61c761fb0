CREATE TABLE reflections (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    tool TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE UNIQUE INDEX reflections_one_open ON reflections(user_id, tool) WHERE status = 'open';
CREATE INDEX reflections_user ON reflections(user_id, tool, status);
CREATE TABLE reflection_answers (
    reflection_id INTEGER NOT NULL REFERENCES reflections(id) ON DELETE CASCADE,
    item TEXT NOT NULL,
    part INTEGER NOT NULL,
    value TEXT NOT NULL,
    answered_at TEXT NOT NULL,
    PRIMARY KEY (reflection_id, item, part)
);
CREATE TABLE personal_plans (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    goal TEXT,
    steps TEXT,
    helpers TEXT,
    look_back TEXT,
    reminder_id INTEGER REFERENCES reminders(id) ON DELETE SET NULL,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'done')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX personal_plans_one_draft ON personal_plans(user_id) WHERE status = 'draft';
CREATE TABLE help_country (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    country TEXT NOT NULL CHECK (country IN ('be', 'nl')),
    updated_at TEXT NOT NULL
);
