-- The team's own Verwijskaart (workbook §11.5): per blank of the card, the local services and
-- contacts a coordinator filled in. Team data: erased with the conversation; who added an entry
-- is forgotten when that person asks (`vergeetmij`), the entry stays with the team.
CREATE TABLE verwijskaart (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    vak TEXT NOT NULL,
    naam TEXT NOT NULL,
    waarvoor TEXT NOT NULL DEFAULT '',
    bereik TEXT NOT NULL DEFAULT '',
    added_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX verwijskaart_team ON verwijskaart(conversation_id, id);
