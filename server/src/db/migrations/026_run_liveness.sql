-- A run whose backend died (SIGKILL, a lost machine) used to stay 'running' for ever: the monitor
-- showed it running with a growing elapsed time. A live run touches alive_at with its progress (every
-- few seconds); runs silent for minutes are closed as interrupted (run-liveness.ts).
ALTER TABLE sync_runs ADD COLUMN alive_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX sync_runs_running_idx ON sync_runs (alive_at) WHERE status = 'running';
