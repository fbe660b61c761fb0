-- Every process schedules and sends: a claim names the process that holds it, each process
-- keeps a heartbeat, and a silent one's claims are taken over. The one-scheduler lease goes.
ALTER TABLE deliveries ADD COLUMN claimed_by TEXT;
CREATE INDEX deliveries_claimed_by ON deliveries(claimed_by) WHERE status = 'claimed';
CREATE TABLE senders (
    owner TEXT PRIMARY KEY,
    heartbeat INTEGER NOT NULL
);
-- The next free send slot per bot token or Slack workspace (Unix time), shared by all processes.
CREATE TABLE pacing (
    name TEXT PRIMARY KEY,
    slot REAL NOT NULL
);
DROP TABLE scheduler_lock;
-- An update in the inbox is taken by one process before it is handled, so two processes behind
-- one webhook address never handle the same update; a taking that is old (its process died) lapses.
ALTER TABLE inbox ADD COLUMN taken_by TEXT;
ALTER TABLE inbox ADD COLUMN taken_at TEXT;
