-- Issue 17: the Autotask ticket change scan leaves out, on Autotask's side, tickets that PSA Link's
-- own resource touched last — except those PSA Link wrote to after the last scan that finished
-- every slice started (its notes, a write whose pass did not finish). That start is kept here,
-- with the watermark it belongs to; null until a connection's first full scan under this rule.
ALTER TABLE autotask_connections ADD COLUMN scan_started_at timestamptz;

-- Each cycle moves it, as it moves the watermarks: not a change of what the gateway is built from.
DROP TRIGGER autotask_connections_context_changed ON autotask_connections;
CREATE TRIGGER autotask_connections_context_changed
  AFTER UPDATE ON autotask_connections FOR EACH ROW
  WHEN ((to_jsonb(OLD) - ARRAY['ticket_watermark', 'note_watermark', 'scan_started_at', 'status', 'status_message', 'failed_cycles', 'failing_since',
                               'last_error', 'last_error_at', 'routes_refreshed_at', 'picklists', 'picklists_loaded_at', 'updated_at'])
        IS DISTINCT FROM (to_jsonb(NEW) - ARRAY['ticket_watermark', 'note_watermark', 'scan_started_at', 'status', 'status_message', 'failed_cycles', 'failing_since',
                               'last_error', 'last_error_at', 'routes_refreshed_at', 'picklists', 'picklists_loaded_at', 'updated_at']))
  EXECUTE FUNCTION psa_link_context_changed();

-- The scan asks which tickets PSA Link wrote notes to since that start: by connection and time.
CREATE INDEX comment_links_own_notes_idx ON comment_links (connection_id, completed_at) WHERE origin = 'zendesk';
-- ... and which tickets a pass holds, or held and never let go (a crash): few rows at any time.
CREATE INDEX ticket_sync_state_held_idx ON ticket_sync_state (zendesk_account_id) WHERE lease_owner IS NOT NULL;
