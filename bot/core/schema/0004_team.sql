CREATE TABLE team_dialogues (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    started_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    leercoach_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    inbrenger_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    step TEXT NOT NULL,
    casus TEXT,
    vraag TEXT,
    meenemen TEXT,
    status TEXT NOT NULL DEFAULT 'open',
    started_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE UNIQUE INDEX team_dialogues_one_open ON team_dialogues(conversation_id) WHERE status = 'open';
CREATE TABLE team_actions (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    dialogue_id INTEGER REFERENCES team_dialogues(id) ON DELETE SET NULL,
    text TEXT NOT NULL,
    owner_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    due_date TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    outcome TEXT,
    checklist TEXT,
    impact TEXT,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (conversation_id, number)
);
CREATE INDEX team_actions_owner ON team_actions(owner_id);
CREATE TABLE team_meetings (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'planned',
    set_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX team_meetings_one_planned ON team_meetings(conversation_id)
    WHERE status = 'planned';
CREATE INDEX team_meetings_due ON team_meetings(at) WHERE status = 'planned';
CREATE TABLE team_steps (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    step_id TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT,
    updated_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (conversation_id, step_id)
);
CREATE TABLE team_rounds (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    track TEXT NOT NULL,
    items TEXT,
    position INTEGER NOT NULL DEFAULT 0,
    updated_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (conversation_id, track)
);
