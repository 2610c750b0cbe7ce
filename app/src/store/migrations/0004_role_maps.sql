-- Role maps (Appendix 2 of the guide): the functions one service needs (its menu), its roles across, and which role
-- leads or supports which function. Each role keeps what people changed in its generated job description. A
-- learning and development analysis can be started from a role, scoped to its functions.

CREATE TABLE role_maps (
    id           TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    organisation TEXT NOT NULL,
    map_date     TEXT NOT NULL,
    -- Space-separated framework ids, in the order their functions are listed.
    frameworks   TEXT NOT NULL,
    -- Space-separated ids of the functions the service needs.
    needed       TEXT NOT NULL,
    version      BIGINT NOT NULL,
    created_by   TEXT NOT NULL REFERENCES users (id),
    created_at   TEXT NOT NULL
);
CREATE INDEX role_maps_by_workspace ON role_maps (workspace_id);

CREATE TABLE role_map_roles (
    id         TEXT PRIMARY KEY,
    map_id     TEXT NOT NULL REFERENCES role_maps (id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    team       TEXT NOT NULL,
    grade      TEXT NOT NULL,
    hours      TEXT NOT NULL,
    -- JSON: the edits made to the role's generated job description.
    job_edits  TEXT NOT NULL,
    position   BIGINT NOT NULL,
    version    BIGINT NOT NULL,
    removed_at TEXT
);
CREATE INDEX role_map_roles_by_map ON role_map_roles (map_id);

CREATE TABLE role_map_cells (
    map_id      TEXT NOT NULL REFERENCES role_maps (id) ON DELETE CASCADE,
    role_id     TEXT NOT NULL REFERENCES role_map_roles (id) ON DELETE CASCADE,
    function_id TEXT NOT NULL,
    level       TEXT NOT NULL,
    note        TEXT NOT NULL,
    version     BIGINT NOT NULL,
    PRIMARY KEY (role_id, function_id)
);
CREATE INDEX role_map_cells_by_map ON role_map_cells (map_id);

CREATE TABLE learning_analyses (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    -- organisation, team, role or person
    scope_level   TEXT NOT NULL,
    organisation  TEXT NOT NULL,
    name          TEXT NOT NULL,
    analysis_date TEXT NOT NULL,
    frameworks    TEXT NOT NULL,
    -- Space-separated ids of the functions the analysis covers.
    scope         TEXT NOT NULL,
    role_id       TEXT REFERENCES role_map_roles (id) ON DELETE SET NULL,
    version       BIGINT NOT NULL,
    created_by    TEXT NOT NULL REFERENCES users (id),
    created_at    TEXT NOT NULL
);
CREATE INDEX learning_analyses_by_workspace ON learning_analyses (workspace_id);
