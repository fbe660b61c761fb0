-- A button that uses what another flow row holds for it (the text paused after words of
-- distress, held until the person chooses) names that row too, so that a press reads it with
-- the button and the flow it belongs to, in the same round trip. Buttons made before name
-- none: the row is read apart, as before.
ALTER TABLE buttons ADD COLUMN held_id INTEGER;
