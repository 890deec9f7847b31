-- Health an admin cannot miss: a cycle in which a connection's Autotask could not be read is
-- "degraded" (not "succeeded"), and after a few such cycles in a row the connection is "failing",
-- with when that started and Autotask's last words.
ALTER TABLE autotask_connections
  ADD COLUMN failed_cycles  integer NOT NULL DEFAULT 0,
  ADD COLUMN failing_since  timestamptz,
  ADD COLUMN last_error     text,
  ADD COLUMN last_error_at  timestamptz;

ALTER TABLE sync_runs DROP CONSTRAINT sync_runs_status_check;
ALTER TABLE sync_runs ADD CONSTRAINT sync_runs_status_check CHECK (status IN ('running', 'succeeded', 'degraded', 'failed'));
