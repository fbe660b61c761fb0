-- Updates as a platform delivered them, kept from the moment they are received until they are
-- handled: a stop or a crash loses none of them, and one delivered twice is handled once.
-- `body` is emptied when the update is handled; the row stays two days to recognise a repeat.
CREATE TABLE inbox (
    platform TEXT NOT NULL,
    update_id TEXT NOT NULL,
    body TEXT,
    received_at TEXT NOT NULL,
    handled_at TEXT,
    PRIMARY KEY (platform, update_id)
);
CREATE INDEX inbox_waiting ON inbox(platform) WHERE body IS NOT NULL;
CREATE INDEX inbox_handled ON inbox(handled_at) WHERE handled_at IS NOT NULL;
