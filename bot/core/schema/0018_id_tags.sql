-- Each process takes a tag here at start, for the ids it makes itself for new rows of some tables
-- (OWN_IDS in bot/core/storage/ids.py); only the last tags are kept.
CREATE TABLE id_tags (
    id INTEGER PRIMARY KEY,
    taken_at TEXT NOT NULL
);
