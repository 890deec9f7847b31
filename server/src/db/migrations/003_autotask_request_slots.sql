-- Autotask allows 3 concurrent requests per integration and entity on one Autotask database. The
-- slots live here, not in a process, so every backend instance shares them. A slot whose holder
-- died is free again once it expires.
CREATE TABLE autotask_request_slots (
  connection_id  bigint NOT NULL REFERENCES autotask_connections (id) ON DELETE CASCADE,
  entity         text NOT NULL,
  slot           smallint NOT NULL,
  holder         text,
  expires_at     timestamptz,
  PRIMARY KEY (connection_id, entity, slot)
);
