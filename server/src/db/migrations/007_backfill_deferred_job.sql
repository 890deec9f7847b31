-- A backfill waiting for budget has a pg-boss job deferred until then; a resume cancels it and runs now
-- (the 'stately' queue keeps one queued job per account, so the deferred one would block the resume).
ALTER TABLE backfills ADD COLUMN deferred_job_id text;
