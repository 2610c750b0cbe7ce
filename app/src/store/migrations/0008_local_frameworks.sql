-- A framework imported from a spreadsheet belongs to the workspace that imported it; the built-in
-- ones (no workspace) are everyone's.
ALTER TABLE frameworks ADD COLUMN workspace_id TEXT REFERENCES workspaces (id) ON DELETE CASCADE;
CREATE INDEX frameworks_by_workspace ON frameworks (workspace_id);
