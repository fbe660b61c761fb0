-- A team action's owner may be someone outside the chat ("de wijkagent", the workbook's
-- "Actie-eigenaar uit lokaal netwerk"): their name as typed, and the coordinator who added the
-- action, who gets the owner's reminder on their behalf. Owned by
-- bot/tools/intervisie/store/teamacties.py.
ALTER TABLE teamacties ADD COLUMN owner_name TEXT;
ALTER TABLE teamacties ADD COLUMN reminder_to INTEGER REFERENCES users(id) ON DELETE SET NULL;
