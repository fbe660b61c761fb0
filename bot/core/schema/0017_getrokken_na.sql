-- A question's mark names the newest draw there when it was made: the mark stands for a draw of
-- that question only if one came after it. A draw that lost at the same moment may leave its
-- mark, and times to the second cannot tell which came first; ids can. Marks already there get
-- the newest draw before their time (their own draw, made in the same second, comes after it).
ALTER TABLE pot_getrokken ADD COLUMN na_trekking INTEGER;
UPDATE pot_getrokken SET na_trekking = (
    SELECT COALESCE(MAX(t.id), 0) FROM trekkingen t
    WHERE t.conversation_id = pot_getrokken.conversation_id AND t.drawn_at < pot_getrokken.drawn_at
);
CREATE INDEX trekkingen_vraag ON trekkingen(conversation_id, question_id, id);
