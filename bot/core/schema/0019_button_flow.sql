-- A button that belongs to a flow (its payload's "f") names that flow in a column, so that a
-- press reads the flow with the button, in the same round trip. Buttons made before name none:
-- their flow is read apart, as before.
ALTER TABLE buttons ADD COLUMN flow_id INTEGER;
