ALTER TABLE members ADD COLUMN is_admin INTEGER NOT NULL DEFAULT 0;
CREATE TABLE nudge_plans (
    conversation_id INTEGER PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
    weekdays TEXT NOT NULL,
    local_time TEXT NOT NULL,
    timezone TEXT NOT NULL DEFAULT 'Europe/Brussels',
    content TEXT NOT NULL DEFAULT 'vraag',
    holidays TEXT NOT NULL DEFAULT 'geen',
    paused_until TEXT,
    enabled INTEGER NOT NULL DEFAULT 1,
    next_at TEXT,
    updated_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX nudge_plans_due ON nudge_plans(next_at) WHERE enabled = 1;
CREATE TABLE reminders (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    conversation_id INTEGER REFERENCES conversations(id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '{}',
    due_at TEXT NOT NULL,
    recurrence TEXT,
    timezone TEXT NOT NULL DEFAULT 'Europe/Brussels',
    status TEXT NOT NULL DEFAULT 'active',
    created_at TEXT NOT NULL
);
CREATE INDEX reminders_due ON reminders(due_at) WHERE status = 'active';
CREATE INDEX reminders_user ON reminders(user_id, status);
CREATE TABLE deliveries (
    key TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    ref_id INTEGER NOT NULL,
    occurrence TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    payload TEXT,
    detail TEXT,
    claimed_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX deliveries_ref ON deliveries(kind, ref_id, occurrence);
CREATE INDEX deliveries_open ON deliveries(status) WHERE status = 'claimed';
CREATE TABLE scheduler_lock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    owner TEXT NOT NULL,
    heartbeat TEXT NOT NULL
);
