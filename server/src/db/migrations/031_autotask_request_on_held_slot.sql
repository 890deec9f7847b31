-- A backend that sends requests back to back (a REST backfill writes one entity a call) used to
-- release its slot after each answer and take one again for the next request: the release and the
-- take race, the take finds every slot still held and waits for a wake-up, and Autotask's three
-- threads sat idle for a few milliseconds between requests. Now a slot that has just been freed is
-- handed to the next request of the same process, which charges the budget and renews the slot in
-- one call to this function: the same advisory lock and hourly count as autotask_take_request (029),
-- so the budget stays exact across instances, and the slot is never free in between.
-- Returns the slot, 0 when it is no longer held by p_holder (it expired and another instance took
-- it: the caller takes a slot the usual way), or -1 when PSA Link's share of the hourly budget is
-- used up.
CREATE FUNCTION autotask_take_request_on_held_slot(p_connection_id bigint, p_entity text, p_slot int, p_holder text, p_ttl_seconds int, p_hourly_limit int)
RETURNS int LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  kept int;
BEGIN
  PERFORM pg_advisory_xact_lock(732014017, p_connection_id::int);
  IF (SELECT coalesce(sum(requests), 0) FROM autotask_request_usage
       WHERE connection_id = p_connection_id AND minute > now() - interval '1 hour') >= p_hourly_limit THEN
    RETURN -1;
  END IF;
  UPDATE autotask_request_slots SET expires_at = now() + make_interval(secs => p_ttl_seconds)
   WHERE connection_id = p_connection_id AND entity = p_entity AND slot = p_slot AND holder = p_holder
  RETURNING slot INTO kept;
  IF kept IS NULL THEN
    RETURN 0;
  END IF;
  INSERT INTO autotask_request_usage (connection_id, minute, requests)
  VALUES (p_connection_id, date_trunc('minute', now()), 1)
  ON CONFLICT (connection_id, minute) DO UPDATE SET requests = autotask_request_usage.requests + 1;
  RETURN kept;
END
$$;
