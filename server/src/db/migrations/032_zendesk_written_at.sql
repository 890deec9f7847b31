-- Issue 17: the Zendesk ticket's updated time right after PSA Link's own last update of it (a
-- mirrored comment, the shown link fields). The cycle's export brings back every ticket PSA Link
-- commented on; one updated later than this was changed by someone else and likely has Autotask
-- work, so it is synced in the first hold. Ordering only: Zendesk's times are to the second, so an
-- agent's change in the same second reads as PSA Link's own, and every exported ticket is still
-- synced in full. Null until PSA Link writes to the ticket.
ALTER TABLE ticket_links ADD COLUMN zendesk_written_at timestamptz;
