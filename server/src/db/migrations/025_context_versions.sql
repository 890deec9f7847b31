-- Each account's sync context (its Zendesk client, connections, mappings) is cached by every backend
-- instance. What the context is built from changing bumps the account's version here and tells every
-- instance at once (NOTIFY on the channel PSA Link's processes listen to); an instance that does not
-- listen (the embedded database) compares the version instead. Columns the engine itself rewrites
-- all the time (cursors, leases, watermarks, health) do not count as a change, nor do the picklists
-- the context builder itself refreshes hourly (another instance's refresh reaches a cached context
-- within its 5 minutes' age limit; an admin's change of settings counts at once).
CREATE TABLE account_context_versions (
  zendesk_account_id  bigint PRIMARY KEY REFERENCES zendesk_accounts (id) ON DELETE CASCADE,
  version             bigint NOT NULL DEFAULT 0
);

CREATE FUNCTION psa_link_context_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  account bigint;
BEGIN
  IF TG_TABLE_NAME = 'zendesk_accounts' THEN
    account := CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END;
  ELSE
    account := CASE WHEN TG_OP = 'DELETE' THEN OLD.zendesk_account_id ELSE NEW.zendesk_account_id END;
  END IF;
  -- An account being removed (its connections go with it) keeps no version.
  INSERT INTO account_context_versions (zendesk_account_id, version)
    SELECT account, 1 WHERE EXISTS (SELECT 1 FROM zendesk_accounts WHERE id = account)
    ON CONFLICT (zendesk_account_id) DO UPDATE SET version = account_context_versions.version + 1;
  PERFORM pg_notify('psa_link_signals', json_build_object('t', 'context', 'd', account::text)::text);
  RETURN NULL;
END
$$;

CREATE TRIGGER zendesk_accounts_context_changed
  AFTER UPDATE ON zendesk_accounts FOR EACH ROW
  WHEN ((to_jsonb(OLD) - ARRAY['export_cursor', 'export_start_time', 'cycle_owner', 'cycle_expires_at', 'updated_at'])
        IS DISTINCT FROM (to_jsonb(NEW) - ARRAY['export_cursor', 'export_start_time', 'cycle_owner', 'cycle_expires_at', 'updated_at']))
  EXECUTE FUNCTION psa_link_context_changed();
CREATE TRIGGER zendesk_accounts_context_removed
  AFTER DELETE ON zendesk_accounts FOR EACH ROW EXECUTE FUNCTION psa_link_context_changed();

CREATE TRIGGER autotask_connections_context_added
  AFTER INSERT OR DELETE ON autotask_connections FOR EACH ROW EXECUTE FUNCTION psa_link_context_changed();
CREATE TRIGGER autotask_connections_context_changed
  AFTER UPDATE ON autotask_connections FOR EACH ROW
  WHEN ((to_jsonb(OLD) - ARRAY['ticket_watermark', 'note_watermark', 'status', 'status_message', 'failed_cycles', 'failing_since',
                               'last_error', 'last_error_at', 'routes_refreshed_at', 'picklists', 'picklists_loaded_at', 'updated_at'])
        IS DISTINCT FROM (to_jsonb(NEW) - ARRAY['ticket_watermark', 'note_watermark', 'status', 'status_message', 'failed_cycles', 'failing_since',
                               'last_error', 'last_error_at', 'routes_refreshed_at', 'picklists', 'picklists_loaded_at', 'updated_at']))
  EXECUTE FUNCTION psa_link_context_changed();
