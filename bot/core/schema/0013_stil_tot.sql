-- The minute of silent writing in a dialoogsessie ends with a message: until when it runs.
-- Cleared when that message is claimed; a session moved on before then sends nothing.
ALTER TABLE dialoogsessies ADD COLUMN stil_tot TEXT;
CREATE INDEX dialoogsessies_stil_tot ON dialoogsessies(stil_tot) WHERE stil_tot IS NOT NULL;
