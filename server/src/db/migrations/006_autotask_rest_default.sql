-- Autotask stopped enhancing SOAP in 2020 and may switch 1.6 off: new connections speak REST unless
-- they say otherwise. Existing connections keep the transport they were created with.
ALTER TABLE autotask_connections ALTER COLUMN transport SET DEFAULT 'rest';
