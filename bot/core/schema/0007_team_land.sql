-- The country whose help lines a team's members start with (`hulp land nl` by a coordinator).
-- Only the country: a member's own choice in hulp_land always comes first.
CREATE TABLE team_land (
    conversation_id INTEGER PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
    country TEXT NOT NULL CHECK (country IN ('be', 'nl')),
    updated_at TEXT NOT NULL
);
