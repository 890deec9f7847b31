-- The admin console (issue 8): sign-in sessions, backfills, and connection names reusable after removal.

-- A session is found by the SHA-256 of its cookie token, so a leaked table does not leak sessions.
-- The CSRF token travels in a header the console reads from /admin/api/session; the OAuth state and
-- PKCE verifier of a Zendesk connect in progress belong to the session that started it.
CREATE TABLE admin_sessions (
  token_hash       text PRIMARY KEY,
  admin_user_id    bigint NOT NULL REFERENCES admin_users (id) ON DELETE CASCADE,
  csrf_token       text NOT NULL,
  oauth_state      text,
  oauth_verifier   text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  last_seen_at     timestamptz NOT NULL DEFAULT now(),
  expires_at       timestamptz NOT NULL
);
CREATE INDEX admin_sessions_user_idx ON admin_sessions (admin_user_id);

-- A backfill creates Autotask tickets for Zendesk tickets updated since `start_at`. It reads the
-- incremental export with a cursor of its own (never the live cycle's), saved after each batch, so
-- a stopped backfill resumes where it was.
CREATE TABLE backfills (
  id                  bigserial PRIMARY KEY,
  zendesk_account_id  bigint NOT NULL REFERENCES zendesk_accounts (id) ON DELETE CASCADE,
  admin_user_id       bigint REFERENCES admin_users (id) ON DELETE SET NULL,
  start_at            timestamptz NOT NULL,
  include_solved      boolean NOT NULL DEFAULT false,
  state               text NOT NULL DEFAULT 'queued'
                      CHECK (state IN ('queued', 'counting', 'running', 'waiting_budget', 'pausing', 'paused', 'succeeded', 'failed')),
  export_cursor       text,
  -- From the counting pass: tickets and notes to create, and the Autotask requests that will take.
  total_tickets       integer,
  total_notes         integer,
  estimated_requests  integer,
  tickets_done        integer NOT NULL DEFAULT 0,
  tickets_created     integer NOT NULL DEFAULT 0,
  notes_created       integer NOT NULL DEFAULT 0,
  tickets_failed      integer NOT NULL DEFAULT 0,
  autotask_requests   integer NOT NULL DEFAULT 0,
  resume_at           timestamptz,
  error               text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  started_at          timestamptz,
  updated_at          timestamptz NOT NULL DEFAULT now(),
  finished_at         timestamptz
);
-- One unfinished backfill per account at a time.
CREATE UNIQUE INDEX backfills_active_idx ON backfills (zendesk_account_id)
  WHERE state NOT IN ('succeeded', 'failed');

-- A removed connection stays as history (its links point at it); its name may be used again.
ALTER TABLE autotask_connections DROP CONSTRAINT autotask_connections_zendesk_account_id_name_key;
CREATE UNIQUE INDEX autotask_connections_live_name_idx ON autotask_connections (zendesk_account_id, lower(name))
  WHERE removed_at IS NULL;
