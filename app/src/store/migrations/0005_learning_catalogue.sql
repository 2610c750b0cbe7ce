-- Each workspace's catalogue of learning activities. New workspaces start with examples from the guide's
-- training list, marked as examples.

CREATE TABLE learning_activities (
    id           TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    kind         TEXT NOT NULL,
    provider     TEXT NOT NULL,
    duration     TEXT NOT NULL,
    cost_pence   BIGINT NOT NULL,
    -- Space-separated ids of the functions the activity addresses.
    functions    TEXT NOT NULL,
    -- 1 for one of the examples a workspace starts with.
    example      BIGINT NOT NULL,
    version      BIGINT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX learning_activities_by_workspace ON learning_activities (workspace_id);
