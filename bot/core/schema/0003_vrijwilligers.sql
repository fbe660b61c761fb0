CREATE TABLE gedachten (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    belemmerend_id TEXT,
    belemmerend_eigen TEXT,
    helpend_id TEXT,
    helpend_eigen TEXT,
    status TEXT NOT NULL DEFAULT 'concept',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((belemmerend_id IS NULL) <> (belemmerend_eigen IS NULL)),
    CHECK (helpend_id IS NULL OR helpend_eigen IS NULL)
);
CREATE INDEX gedachten_user ON gedachten(user_id, status);
CREATE TABLE gesprekken (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    datum TEXT NOT NULL,
    met TEXT,
    wens TEXT,
    ideeen TEXT,
    stap TEXT,
    motivatie INTEGER CHECK (motivatie BETWEEN 0 AND 10),
    vertrouwen INTEGER CHECK (vertrouwen BETWEEN 0 AND 10),
    terugblik_op TEXT,
    status TEXT NOT NULL DEFAULT 'concept',
    actie TEXT NOT NULL DEFAULT 'open',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX gesprekken_user ON gesprekken(user_id, datum);
CREATE TABLE terugblikken (
    id INTEGER PRIMARY KEY,
    gesprek_id INTEGER NOT NULL REFERENCES gesprekken(id) ON DELETE CASCADE,
    termijn TEXT NOT NULL,
    uitkomst TEXT NOT NULL DEFAULT 'bezig',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (gesprek_id, termijn)
);
CREATE TABLE terugblik_antwoorden (
    terugblik_id INTEGER NOT NULL REFERENCES terugblikken(id) ON DELETE CASCADE,
    vraag TEXT NOT NULL,
    antwoord TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (terugblik_id, vraag)
);
