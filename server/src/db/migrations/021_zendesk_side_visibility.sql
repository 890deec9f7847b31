-- Zendesk-side visibility: the linked Autotask ticket's number and status in two Zendesk ticket
-- fields PSA Link creates, and a tag on linked tickets, so Zendesk views, triggers and reports can
-- use them. On by default; the fields exist once an admin (or the sandbox) has created them.
ALTER TABLE zendesk_accounts
  ADD COLUMN show_links_in_zendesk     boolean NOT NULL DEFAULT true,
  ADD COLUMN autotask_number_field_id  bigint,
  ADD COLUMN autotask_status_field_id  bigint;

-- What PSA Link last wrote to the Zendesk ticket ({ticketNumber, status}; NULL: nothing, no tag), so
-- it writes only on change.
ALTER TABLE ticket_links ADD COLUMN zendesk_shown jsonb;
