-- A backfill takes Zendesk comments from the ticket-events export (include=comment_events) instead
-- of one read per ticket when that is cheaper (issue 17). The comments are staged here, keyed by
-- comment id (an event page repeats the second it ends on: the key dedupes across pages), until the
-- batch holding their ticket mirrors them; the export position is written in the same transaction
-- as the page's comments, so a crash between staging and mirroring resumes from what is staged.
-- backfill_id names the backfill that staged them (no foreign key: the engine's tests run a
-- backfill without its console row); they are deleted when that backfill ends.
CREATE TABLE staged_zendesk_comments (
  zendesk_account_id  bigint NOT NULL REFERENCES zendesk_accounts (id) ON DELETE CASCADE,
  backfill_id         bigint NOT NULL,
  comment_id          bigint NOT NULL,
  ticket_id           bigint NOT NULL,
  created_at          timestamptz NOT NULL,
  -- The comment in the engine's words (ZendeskComment), author name included.
  comment             jsonb NOT NULL,
  PRIMARY KEY (zendesk_account_id, backfill_id, comment_id)
);
CREATE INDEX staged_zendesk_comments_ticket_idx ON staged_zendesk_comments (zendesk_account_id, backfill_id, ticket_id);

-- Where a backfill's comment staging stands: events from `from_time` (unix seconds) up to, not
-- including, `until_time` are staged; `complete` once the export said end_of_stream there.
CREATE TABLE staged_comment_positions (
  zendesk_account_id  bigint NOT NULL REFERENCES zendesk_accounts (id) ON DELETE CASCADE,
  backfill_id         bigint NOT NULL,
  from_time           bigint NOT NULL,
  until_time          bigint NOT NULL,
  complete            boolean NOT NULL DEFAULT false,
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (zendesk_account_id, backfill_id)
);
