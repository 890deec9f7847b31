-- Tickets an open sidebar is showing, and when each Autotask connection's scan of their notes last
-- asked Autotask: a technician's note on a watched ticket is brought in within about 30 s instead
-- of with the next cycle. A watch lapses about two minutes after the sidebar's last read.
CREATE TABLE ticket_watches (
  zendesk_account_id  bigint NOT NULL REFERENCES zendesk_accounts (id) ON DELETE CASCADE,
  zendesk_ticket_id   bigint NOT NULL,
  watched_until       timestamptz NOT NULL,
  PRIMARY KEY (zendesk_account_id, zendesk_ticket_id)
);
CREATE INDEX ticket_watches_until ON ticket_watches (watched_until);

CREATE TABLE note_watch_scans (
  connection_id       bigint PRIMARY KEY REFERENCES autotask_connections (id) ON DELETE CASCADE,
  zendesk_account_id  bigint NOT NULL REFERENCES zendesk_accounts (id) ON DELETE CASCADE,
  -- When the last scan that reached Autotask started: the next one asks for notes changed since (less an overlap).
  scanned_at          timestamptz NOT NULL
);
