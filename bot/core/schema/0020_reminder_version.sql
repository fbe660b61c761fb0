-- A thought's weekly reminder ("Elke maandag") is written only while the thought's reminders are
-- as the press read them: the write counts this number up where it is still the one read, so of
-- two presses at once (on two processes) one writes, without a transaction and its global lock.
ALTER TABLE gedachten ADD COLUMN reminder_version INTEGER NOT NULL DEFAULT 0;
