"""Versioned schema. Append a new (version, script) pair; never edit one that has shipped."""

from __future__ import annotations

MIGRATIONS: list[tuple[int, str]] = [
    (
        1,
        """
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    external_id TEXT NOT NULL,
    display_name TEXT NOT NULL,
    handle TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (platform, workspace_id, external_id)
);
CREATE TABLE conversations (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    external_id TEXT NOT NULL,
    is_group INTEGER NOT NULL,
    title TEXT,
    timezone TEXT NOT NULL DEFAULT 'Europe/Brussels',
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    UNIQUE (platform, workspace_id, external_id)
);
CREATE TABLE members (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
);
CREATE TABLE coordinators (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    named_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
);
CREATE TABLE buttons (
    token TEXT PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX buttons_created ON buttons(created_at);
CREATE TABLE flows (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    step TEXT NOT NULL,
    data TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX flows_open ON flows(conversation_id, user_id, status);
CREATE TABLE jar_custom (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    colour TEXT NOT NULL,
    text TEXT NOT NULL,
    author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    UNIQUE (conversation_id, number)
);
CREATE TABLE jar_disabled (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    item TEXT NOT NULL,
    PRIMARY KEY (conversation_id, item)
);
CREATE TABLE jar_drawn (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    drawn_at TEXT NOT NULL,
    PRIMARY KEY (conversation_id, question_id)
);
CREATE TABLE jar_sessions (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    started_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    thread_id TEXT,
    colours TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    started_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    closed_at TEXT
);
CREATE UNIQUE INDEX jar_sessions_one_open ON jar_sessions(conversation_id) WHERE status = 'open';
CREATE TABLE jar_history (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    colour TEXT NOT NULL,
    question_text TEXT NOT NULL,
    session_id INTEGER REFERENCES jar_sessions(id) ON DELETE SET NULL,
    drawn_at TEXT NOT NULL
);
CREATE INDEX jar_history_conv ON jar_history(conversation_id, id);
CREATE TABLE points (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    text TEXT NOT NULL,
    history_id INTEGER REFERENCES jar_history(id) ON DELETE SET NULL,
    colour TEXT,
    question_text TEXT,
    session_id INTEGER REFERENCES jar_sessions(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX points_conv ON points(conversation_id, id);
""",
    ),
    (
        2,
        """
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
""",
    ),
]
