-- Every Autotask request took five round trips to PostgreSQL before it was sent (BEGIN, the budget's
-- advisory lock, the charge, COMMIT, then the slot claim): on a loaded database that was most of a
-- Sync now's time. This function does the same in one call. It is VOLATILE plpgsql, so each of its
-- statements reads a fresh snapshot: the hour's count below is read after the lock is held, and
-- charges of other instances that committed meanwhile are counted (a single SQL statement would
-- read the snapshot taken before it waited for the lock). The lock is held until the calling
-- statement commits, so instances racing for the last free request cannot all win.
-- Returns the slot taken, 0 when every slot of the entity is held (nothing charged: the caller
-- waits for a release), or -1 when PSA Link's share of the hourly budget is used up.
CREATE FUNCTION autotask_take_request(p_connection_id bigint, p_entity text, p_holder text, p_ttl_seconds int, p_max_in_flight int, p_hourly_limit int)
RETURNS int LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  taken int;
BEGIN
  PERFORM pg_advisory_xact_lock(732014017, p_connection_id::int);
  IF (SELECT coalesce(sum(requests), 0) FROM autotask_request_usage
       WHERE connection_id = p_connection_id AND minute > now() - interval '1 hour') >= p_hourly_limit THEN
    RETURN -1;
  END IF;
  UPDATE autotask_request_slots SET holder = p_holder, expires_at = now() + make_interval(secs => p_ttl_seconds)
   WHERE (connection_id, entity, slot) IN (
     SELECT connection_id, entity, slot FROM autotask_request_slots
      WHERE connection_id = p_connection_id AND entity = p_entity AND slot <= p_max_in_flight
        AND (holder IS NULL OR expires_at < now())
      ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED)
  RETURNING slot INTO taken;
  IF taken IS NULL THEN
    RETURN 0;
  END IF;
  INSERT INTO autotask_request_usage (connection_id, minute, requests)
  VALUES (p_connection_id, date_trunc('minute', now()), 1)
  ON CONFLICT (connection_id, minute) DO UPDATE SET requests = autotask_request_usage.requests + 1;
  RETURN taken;
END
$$;
