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
