-- Version 1 of the PostgreSQL journal's schema. Every statement is idempotent, and the module runs the script under
-- an advisory lock, so processes that start together create it once. {schema} is the configured schema's name.
CREATE SCHEMA IF NOT EXISTS {schema};

CREATE TABLE IF NOT EXISTS {schema}.schema_version (
    version    integer     PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
);

-- One row per mission: its lease. token rises by one on every takeover; every append checks it.
CREATE TABLE IF NOT EXISTS {schema}.missions (
    mission_id    text        PRIMARY KEY,
    owner         text        NOT NULL,
    token         bigint      NOT NULL,
    lease_expires timestamptz NOT NULL,
    finished      boolean     NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- the query of takeOver: unfinished missions by expiry
CREATE INDEX IF NOT EXISTS missions_unfinished_by_expiry ON {schema}.missions (lease_expires) WHERE NOT finished;

-- A mission's events in the file journal's JSON codec, and the lease token they were written under.
CREATE TABLE IF NOT EXISTS {schema}.events (
    mission_id text   NOT NULL REFERENCES {schema}.missions ON DELETE CASCADE,
    seq        bigint NOT NULL,
    token      bigint NOT NULL,
    event      json   NOT NULL,
    PRIMARY KEY (mission_id, seq)
);

-- The newest engine snapshot of each mission; the events up to seq are deleted when it is written.
CREATE TABLE IF NOT EXISTS {schema}.snapshots (
    mission_id text        PRIMARY KEY REFERENCES {schema}.missions ON DELETE CASCADE,
    seq        bigint      NOT NULL,
    state      bytea       NOT NULL,
    taken_at   timestamptz NOT NULL DEFAULT now()
);

INSERT INTO {schema}.schema_version (version) VALUES (1) ON CONFLICT DO NOTHING;
