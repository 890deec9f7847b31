-- Why a ticket is in its state, as a code the sidebar turns into words in the agent's language
-- (the message column stays the engine's English sentence for logs and the admin console).
ALTER TABLE ticket_sync_state ADD COLUMN reason text;

-- Who may link a ticket to an existing Autotask ticket by hand from the sidebar. Held here, by the
-- backend, because everything the sidebar's token says about its user is written by browser code.
ALTER TABLE zendesk_accounts
  ADD COLUMN sidebar_manual_link text NOT NULL DEFAULT 'admins'
    CHECK (sidebar_manual_link IN ('off', 'admins', 'agents'));

-- A link made by hand is kept as made: the sync treats it like any other link.
ALTER TABLE ticket_links ADD COLUMN linked_by text NOT NULL DEFAULT 'sync' CHECK (linked_by IN ('sync', 'agent'));
