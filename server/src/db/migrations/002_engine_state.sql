-- Engine state per Zendesk ticket: what the sidebar shows for tickets without a link, the durable
-- dirty list (tickets that could not be done now and must not wait on the export cursor), and the
-- per-ticket lease that keeps two workers off one ticket (SYNC-RULES.md engine sketch, steps 6–7).
CREATE TABLE ticket_sync_state (
  zendesk_account_id  bigint NOT NULL REFERENCES zendesk_accounts (id) ON DELETE CASCADE,
  zendesk_ticket_id   bigint NOT NULL,
  state               text NOT NULL DEFAULT 'pending' CHECK (state IN (
                        'linked', 'pending', 'unrouted', 'ambiguous', 'not_eligible', 'error',
                        'paused', 'throttled', 'broken', 'closed')),
  message             text,
  cluster_id          text,
  candidates          jsonb NOT NULL DEFAULT '[]'::jsonb,
  waiting_notes       integer NOT NULL DEFAULT 0,
  dirty_since         timestamptz,
  next_attempt_at     timestamptz,
  lease_owner         text,
  lease_expires_at    timestamptz,
  last_attempt_at     timestamptz,
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (zendesk_account_id, zendesk_ticket_id)
);
CREATE INDEX ticket_sync_state_dirty_idx ON ticket_sync_state (zendesk_account_id, next_attempt_at)
  WHERE dirty_since IS NOT NULL;

-- What the sidebar lists for a mirrored note without asking either remote.
ALTER TABLE comment_links
  ADD COLUMN author_name text,
  ADD COLUMN is_public boolean,
  ADD COLUMN preview text,
  ADD COLUMN source_created_at timestamptz;
CREATE INDEX comment_links_ticket_idx ON comment_links (ticket_link_id, source_created_at DESC, id DESC);

-- The connection's live picklists, cached for labels in the sidebar and for mapping checks.
ALTER TABLE autotask_connections
  ADD COLUMN picklists jsonb,
  ADD COLUMN picklists_loaded_at timestamptz,
  ADD COLUMN routes_refreshed_at timestamptz;

-- Autotask's request budget is per Autotask database, not per process: every backend instance
-- charges the same rows (one per connection and minute), so the rolling hour is shared.
CREATE TABLE autotask_request_usage (
  connection_id  bigint NOT NULL REFERENCES autotask_connections (id) ON DELETE CASCADE,
  minute         timestamptz NOT NULL,
  requests       integer NOT NULL DEFAULT 0,
  PRIMARY KEY (connection_id, minute)
);
