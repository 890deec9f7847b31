-- The tenancy and link store (DESIGN.md section 4). Every table carries its tenant: the Zendesk
-- account. Identities are immutable numeric ids (never Autotask's display-only TicketNumber).

CREATE TABLE zendesk_accounts (
  id                      bigserial PRIMARY KEY,
  subdomain               text NOT NULL UNIQUE CHECK (subdomain ~ '^[a-z0-9][a-z0-9-]*$'),
  base_url                text NOT NULL,
  -- Secrets end in _enc: AES-256-GCM ciphertext, never plain text.
  oauth_client_id         text,
  oauth_client_secret_enc text,
  oauth_access_token_enc  text,
  oauth_refresh_token_enc text,
  oauth_expires_at        timestamptz,
  api_email               text,
  api_token_enc           text,
  integration_user_id     bigint,
  cluster_id_field_id     bigint,
  app_shared_secret_enc   text,
  webhook_id              text,
  webhook_secret_enc      text,
  export_cursor           text,
  export_start_time       bigint,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE autotask_connections (
  id                    bigserial PRIMARY KEY,
  zendesk_account_id    bigint NOT NULL REFERENCES zendesk_accounts (id) ON DELETE CASCADE,
  name                  text NOT NULL,
  transport             text NOT NULL DEFAULT 'soap' CHECK (transport IN ('soap', 'rest')),
  zone_url              text,
  api_username          text NOT NULL,
  secret_enc            text NOT NULL,
  integration_code_enc  text NOT NULL,
  -- Mappings (priority, status, queue, note type, publish, source, due-date hours, note-type allow-list).
  settings              jsonb NOT NULL DEFAULT '{}'::jsonb,
  status                text NOT NULL DEFAULT 'untested' CHECK (status IN ('untested', 'ready', 'failing')),
  status_message        text,
  paused                boolean NOT NULL DEFAULT false,
  removed_at            timestamptz,
  budget_share          numeric CHECK (budget_share > 0 AND budget_share <= 1),
  ticket_watermark      timestamptz,
  note_watermark        timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  UNIQUE (zendesk_account_id, name)
);
CREATE INDEX autotask_connections_account_idx ON autotask_connections (zendesk_account_id);

CREATE TABLE admin_users (
  id                    bigserial PRIMARY KEY,
  zendesk_account_id    bigint NOT NULL REFERENCES zendesk_accounts (id) ON DELETE CASCADE,
  -- When set, this admin sees and changes only this connection.
  connection_id         bigint REFERENCES autotask_connections (id) ON DELETE CASCADE,
  email                 text NOT NULL,
  password_hash         text NOT NULL,
  must_change_password  boolean NOT NULL DEFAULT true,
  failed_attempts       integer NOT NULL DEFAULT 0,
  locked_until          timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX admin_users_email_idx ON admin_users (lower(email));

CREATE TABLE audit_log (
  id                  bigserial PRIMARY KEY,
  zendesk_account_id  bigint NOT NULL REFERENCES zendesk_accounts (id) ON DELETE CASCADE,
  admin_user_id       bigint REFERENCES admin_users (id) ON DELETE SET NULL,
  action              text NOT NULL,
  details             jsonb NOT NULL DEFAULT '{}'::jsonb,
  at                  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_account_at_idx ON audit_log (zendesk_account_id, at DESC);

-- Cluster ID -> (connection, InstalledProduct, Autotask AccountID), refreshed from Autotask.
CREATE TABLE cluster_routes (
  zendesk_account_id    bigint NOT NULL REFERENCES zendesk_accounts (id) ON DELETE CASCADE,
  connection_id         bigint NOT NULL REFERENCES autotask_connections (id) ON DELETE CASCADE,
  installed_product_id  bigint NOT NULL,
  -- Trimmed and lower-cased: routing ignores case and surrounding spaces (SYNC-RULES.md rule 2).
  cluster_id            text NOT NULL,
  autotask_account_id   bigint NOT NULL,
  active                boolean NOT NULL,
  refreshed_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (connection_id, installed_product_id)
);
CREATE INDEX cluster_routes_lookup_idx ON cluster_routes (zendesk_account_id, cluster_id) WHERE active;

CREATE TABLE ticket_links (
  id                      bigserial PRIMARY KEY,
  zendesk_account_id      bigint NOT NULL REFERENCES zendesk_accounts (id) ON DELETE CASCADE,
  connection_id           bigint NOT NULL REFERENCES autotask_connections (id),
  zendesk_ticket_id       bigint NOT NULL,
  -- Null while the create is pending (the intent is written before the remote call).
  autotask_ticket_id      bigint,
  autotask_ticket_number  text,
  -- The natural key sent as Autotask's ExternalID: finds an already-created ticket after a crash.
  external_id             text NOT NULL CHECK (length(external_id) <= 50),
  state                   text NOT NULL DEFAULT 'pending'
                          CHECK (state IN ('pending', 'linked', 'broken', 'closed')),
  -- Last synced value of every mapped field on both sides: the base for change detection.
  synced                  jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- The last Autotask ticket read back, for the sidebar (which never calls Autotask itself).
  autotask_snapshot       jsonb,
  last_error              text,
  last_synced_at          timestamptz,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now(),
  UNIQUE (zendesk_account_id, zendesk_ticket_id),
  UNIQUE (connection_id, autotask_ticket_id),
  UNIQUE (connection_id, external_id)
);

-- One row per mirrored comment or note (or part of one). Written as 'pending' before the remote
-- create and completed after: crash recovery and echo suppression both rest on it.
CREATE TABLE comment_links (
  id                  bigserial PRIMARY KEY,
  zendesk_account_id  bigint NOT NULL REFERENCES zendesk_accounts (id) ON DELETE CASCADE,
  connection_id       bigint NOT NULL REFERENCES autotask_connections (id),
  ticket_link_id      bigint NOT NULL REFERENCES ticket_links (id) ON DELETE CASCADE,
  origin              text NOT NULL CHECK (origin IN ('zendesk', 'autotask')),
  zendesk_comment_id  bigint,
  autotask_note_id    bigint,
  part                integer NOT NULL DEFAULT 1 CHECK (part >= 1),
  natural_key         text NOT NULL,
  state               text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'skipped')),
  skip_reason         text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  completed_at        timestamptz,
  UNIQUE (zendesk_account_id, zendesk_comment_id, part),
  UNIQUE (connection_id, autotask_note_id),
  UNIQUE (ticket_link_id, natural_key, part)
);

CREATE TABLE sync_runs (
  id                  bigserial PRIMARY KEY,
  zendesk_account_id  bigint NOT NULL REFERENCES zendesk_accounts (id) ON DELETE CASCADE,
  connection_id       bigint REFERENCES autotask_connections (id) ON DELETE SET NULL,
  kind                text NOT NULL CHECK (kind IN ('cycle', 'ticket', 'backfill')),
  trigger             text NOT NULL,
  status              text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')),
  started_at          timestamptz NOT NULL DEFAULT now(),
  finished_at         timestamptz,
  counts              jsonb NOT NULL DEFAULT '{}'::jsonb,
  api_usage           jsonb NOT NULL DEFAULT '{}'::jsonb,
  error               text
);
CREATE INDEX sync_runs_account_started_idx ON sync_runs (zendesk_account_id, started_at DESC);

-- The error inbox: what failed, the remote's own message, attempts, and what happens next.
CREATE TABLE sync_problems (
  id                  bigserial PRIMARY KEY,
  zendesk_account_id  bigint NOT NULL REFERENCES zendesk_accounts (id) ON DELETE CASCADE,
  connection_id       bigint REFERENCES autotask_connections (id) ON DELETE SET NULL,
  zendesk_ticket_id   bigint,
  autotask_ticket_id  bigint,
  code                text NOT NULL,
  message             text NOT NULL,
  remote_message      text,
  details             jsonb NOT NULL DEFAULT '{}'::jsonb,
  attempts            integer NOT NULL DEFAULT 1,
  state               text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'retrying', 'resolved', 'skipped')),
  next_retry_at       timestamptz,
  first_seen_at       timestamptz NOT NULL DEFAULT now(),
  last_seen_at        timestamptz NOT NULL DEFAULT now()
);
-- At most one unresolved problem of a kind per ticket: a repeat bumps `attempts` instead.
CREATE UNIQUE INDEX sync_problems_open_idx ON sync_problems (zendesk_account_id, zendesk_ticket_id, code)
  WHERE state IN ('open', 'retrying');
CREATE INDEX sync_problems_account_state_idx ON sync_problems (zendesk_account_id, state);
