-- Spreadsheets uploaded for import, kept until the person who uploaded them confirms or cancels, so that any instance
-- can show the preview and apply it. BYTEA is PostgreSQL's binary type; SQLite stores the bytes as they are.

CREATE TABLE pending_imports (
    id           TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- org-map or role-map
    kind         TEXT NOT NULL,
    -- The matrix to update, if the upload named one.
    target       TEXT,
    file_name    TEXT NOT NULL,
    content      BYTEA NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX pending_imports_by_workspace ON pending_imports (workspace_id);
