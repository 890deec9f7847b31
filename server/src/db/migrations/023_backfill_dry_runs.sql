-- A backfill's dry run is a job (issue 17): it counts the export page by page and samples comments,
-- outside any HTTP request; the console polls its progress and result here. Only the latest few per
-- account are kept (see backfill-dry-run-repository).
CREATE TABLE backfill_dry_runs (
  id                  bigserial PRIMARY KEY,
  zendesk_account_id  bigint NOT NULL REFERENCES zendesk_accounts (id) ON DELETE CASCADE,
  admin_user_id       bigint REFERENCES admin_users (id) ON DELETE SET NULL,
  start_at            timestamptz NOT NULL,
  include_solved      boolean NOT NULL DEFAULT false,
  state               text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
  pages               integer NOT NULL DEFAULT 0,
  tickets_scanned     integer NOT NULL DEFAULT 0,
  -- The estimate (BackfillEstimate) and the requests the dry run itself made.
  result              jsonb,
  error               text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX backfill_dry_runs_account_idx ON backfill_dry_runs (zendesk_account_id, id DESC);
