-- PostgreSQL variant of ../0009_slack.sql: a float column is single precision there by that
-- name, too coarse for a Unix time in seconds; DOUBLE PRECISION matches SQLite. Expiry as BIGINT.
-- Slack's own bookkeeping, owned by adapters/slack/store.py and adapters/slack/installations.py.

-- Event ids and trigger ids already taken in: Slack retries an event (X-Slack-Retry-Num) and a
-- signed request can be replayed within five minutes; each is handled once, also across a
-- restart or by a second process. Pruned after a few hours.
CREATE TABLE slack_seen (
    key TEXT PRIMARY KEY,
    seen_at DOUBLE PRECISION NOT NULL
);
CREATE INDEX slack_seen_at ON slack_seen (seen_at);

-- Modals the app opened: a submission is only taken for a modal opened here, by the person
-- who opened it, once. Holds ids, never the text typed in the modal. Pruned after a day.
CREATE TABLE slack_modals (
    token TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    team_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    thread_ts TEXT,
    author_id TEXT,
    created_at DOUBLE PRECISION NOT NULL,
    used_at DOUBLE PRECISION
);
CREATE INDEX slack_modals_created ON slack_modals (created_at);

-- One bot installation per workspace (OAuth mode): only what sending as that workspace's bot
-- needs, including the refresh token when token rotation is on.
CREATE TABLE slack_installations (
    enterprise_id TEXT NOT NULL DEFAULT '',
    team_id TEXT NOT NULL DEFAULT '',
    app_id TEXT,
    team_name TEXT,
    bot_token TEXT NOT NULL,
    bot_id TEXT,
    bot_user_id TEXT,
    bot_scopes TEXT NOT NULL DEFAULT '',
    bot_refresh_token TEXT,
    bot_token_expires_at BIGINT,
    is_enterprise_install INTEGER NOT NULL DEFAULT 0,
    installed_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (enterprise_id, team_id)
);

-- OAuth state values handed to a browser at /slack/install; consumed once at the redirect.
CREATE TABLE slack_oauth_states (
    state TEXT PRIMARY KEY,
    expires_at DOUBLE PRECISION NOT NULL
);
