-- A workspace's name is edited from the version its owner saw, like every other versioned row.
ALTER TABLE workspaces ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

-- Sign-in attempts, counted per account and per client address so every instance counts the same ones. An attempt is
-- counted before its password is checked, in one conditional statement, so attempts made at once are all counted; a
-- row is forgotten once it has been quiet for long enough.
DROP TABLE sign_in_failures;
CREATE TABLE sign_in_attempts (
    subject   TEXT PRIMARY KEY,
    attempts  BIGINT NOT NULL,
    last_at   TEXT NOT NULL,
    next_at   TEXT NOT NULL
);

-- An owner can withdraw an invitation before it is used.
ALTER TABLE invitations ADD COLUMN revoked_at TEXT;

-- What an upload's preview showed, kept so that visiting the preview again does not read the file again.
ALTER TABLE pending_imports ADD COLUMN preview TEXT;
