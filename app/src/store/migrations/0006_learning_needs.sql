-- Learning needs: one per function in an analysis's scope, each with the version an edit must present. A need whose
-- function leaves the scope (a role change) is archived, not deleted.

ALTER TABLE learning_analyses ADD COLUMN team TEXT NOT NULL DEFAULT '';

CREATE TABLE learning_needs (
    analysis_id   TEXT NOT NULL REFERENCES learning_analyses (id) ON DELETE CASCADE,
    function_id   TEXT NOT NULL,
    priority      TEXT NOT NULL,
    need          TEXT NOT NULL,
    -- A catalogue activity, or an activity described in words (at most one of the two).
    activity_id   TEXT REFERENCES learning_activities (id) ON DELETE SET NULL,
    activity_text TEXT NOT NULL,
    comment       TEXT NOT NULL,
    target        TEXT,
    status        TEXT NOT NULL,
    archived      BIGINT NOT NULL,
    version       BIGINT NOT NULL,
    PRIMARY KEY (analysis_id, function_id)
);
