-- A draw names the draw it follows in its conversation (0: the first one there). Unique, so of
-- two draws made at once from the same jar only one is stored: the jar is drawn without a
-- transaction (and without PostgreSQL's global write lock), and the other one draws again.
ALTER TABLE trekkingen ADD COLUMN follows INTEGER;
CREATE UNIQUE INDEX trekkingen_follows ON trekkingen(conversation_id, follows);
