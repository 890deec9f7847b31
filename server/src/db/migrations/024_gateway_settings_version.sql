-- A connection's Autotask gateway (its client, loaded WSDL and caches) lives as long as the
-- connection's settings: `settings_version` changes only when what the client is built from, or
-- the mappings, change (an admin's edit, a zone move stored, removal), never when a watermark or
-- the status moves. A trigger bumps it so no writer can forget to.
ALTER TABLE autotask_connections
  ADD COLUMN settings_version  integer NOT NULL DEFAULT 1,
  -- The Autotask resource PSA Link's API user writes as (a created note's CreatorResourceID, or the
  -- API user's resource looked up): learned once, kept across restarts.
  ADD COLUMN own_resource_id   bigint;

CREATE FUNCTION autotask_connections_bump_settings_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.transport, NEW.zone_url, NEW.api_username, NEW.secret_enc, NEW.integration_code_enc, NEW.settings, NEW.removed_at)
     IS DISTINCT FROM (OLD.transport, OLD.zone_url, OLD.api_username, OLD.secret_enc, OLD.integration_code_enc, OLD.settings, OLD.removed_at) THEN
    NEW.settings_version := OLD.settings_version + 1;
  END IF;
  -- Another API user writes as another resource (a zone move keeps the tenant and its resources).
  IF NEW.api_username IS DISTINCT FROM OLD.api_username AND NEW.own_resource_id IS NOT DISTINCT FROM OLD.own_resource_id THEN
    NEW.own_resource_id := NULL;
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER autotask_connections_settings_version
  BEFORE UPDATE ON autotask_connections
  FOR EACH ROW EXECUTE FUNCTION autotask_connections_bump_settings_version();
