-- Organisation maps (Appendix 1 of the guide): organisations across, functions down, and the
-- implementation plan. Maps, organisations, cells and actions carry a version, so an edit made on a stale view is
-- refused rather than written over someone else's.

CREATE TABLE org_maps (
    id           TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    area         TEXT NOT NULL,
    map_date     TEXT NOT NULL,
    -- Space-separated framework ids, in the order their functions are listed.
    frameworks   TEXT NOT NULL,
    threshold    BIGINT NOT NULL,
    copied_from  TEXT,
    version      BIGINT NOT NULL,
    created_by   TEXT NOT NULL REFERENCES users (id),
    created_at   TEXT NOT NULL
);
CREATE INDEX org_maps_by_workspace ON org_maps (workspace_id);

CREATE TABLE org_map_organisations (
    id         TEXT PRIMARY KEY,
    map_id     TEXT NOT NULL REFERENCES org_maps (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    sector     TEXT NOT NULL,
    locality   TEXT NOT NULL,
    website    TEXT NOT NULL,
    contact    TEXT NOT NULL,
    position   BIGINT NOT NULL,
    version    BIGINT NOT NULL,
    -- Set when removed; a removed organisation can be put back with its cells.
    removed_at TEXT
);
CREATE INDEX org_map_organisations_by_map ON org_map_organisations (map_id);

CREATE TABLE org_map_cells (
    map_id          TEXT NOT NULL REFERENCES org_maps (id) ON DELETE CASCADE,
    organisation_id TEXT NOT NULL REFERENCES org_map_organisations (id) ON DELETE CASCADE,
    function_id     TEXT NOT NULL,
    level           TEXT NOT NULL,
    note            TEXT NOT NULL,
    version         BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, function_id)
);
CREATE INDEX org_map_cells_by_map ON org_map_cells (map_id);

CREATE TABLE org_map_actions (
    id            TEXT PRIMARY KEY,
    map_id        TEXT NOT NULL REFERENCES org_maps (id) ON DELETE CASCADE,
    function_id   TEXT NOT NULL,
    what          TEXT NOT NULL,
    with_whom     TEXT NOT NULL,
    how           TEXT NOT NULL,
    cost_pence    BIGINT NOT NULL,
    due           TEXT,
    communication TEXT NOT NULL,
    risks         TEXT NOT NULL,
    status        TEXT NOT NULL,
    version       BIGINT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX org_map_actions_by_map ON org_map_actions (map_id);
