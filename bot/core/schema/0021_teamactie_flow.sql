-- An action added by an entry (typed step by step, its form, the button that confirms an owner
-- outside the chat) names the entry's flow, and a flow makes one action: of two submissions of
-- one entry at the same moment (on two processes) one stores it, without a transaction and its
-- global lock. Actions added in one line name none.
ALTER TABLE teamacties ADD COLUMN flow_id INTEGER;
CREATE UNIQUE INDEX teamacties_flow ON teamacties(flow_id);
