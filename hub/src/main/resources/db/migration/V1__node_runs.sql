-- Every start of a hub node, and whether it stopped cleanly (stopped_at stays NULL after a crash).
CREATE TABLE node_run (
    id          uuid        PRIMARY KEY,
    host        text        NOT NULL,
    version     text        NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT now(),
    stopped_at  timestamptz
);

CREATE INDEX node_run_started_at ON node_run (started_at DESC);
