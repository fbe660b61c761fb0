-- A question's mark names the newest draw there when it was made: the mark stands for a draw of
-- that question only if one came after it. A draw that lost at the same moment leaves its mark
-- (taking it back raced with a third draw), and times to the second cannot tell which came
-- first; ids can. Old marks (NULL) are compared by time as before.
ALTER TABLE pot_getrokken ADD COLUMN na_trekking INTEGER;
CREATE INDEX trekkingen_vraag ON trekkingen(conversation_id, question_id, id);
