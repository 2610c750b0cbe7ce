CREATE TABLE frameworks (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    version     BIGINT NOT NULL,
    description TEXT NOT NULL,
    origin      TEXT NOT NULL CHECK (origin IN ('builtin', 'local')),
    sort_order  BIGINT NOT NULL
);

CREATE TABLE framework_categories (
    framework_id TEXT NOT NULL REFERENCES frameworks (id) ON DELETE CASCADE,
    id           TEXT NOT NULL,
    position     BIGINT NOT NULL,
    name         TEXT NOT NULL,
    PRIMARY KEY (framework_id, id)
);

CREATE TABLE framework_functions (
    framework_id TEXT NOT NULL,
    id           TEXT NOT NULL,
    category_id  TEXT NOT NULL,
    position     BIGINT NOT NULL,
    label        TEXT NOT NULL,
    statement    TEXT NOT NULL,
    PRIMARY KEY (framework_id, id),
    FOREIGN KEY (framework_id, category_id)
        REFERENCES framework_categories (framework_id, id) ON DELETE CASCADE
);
