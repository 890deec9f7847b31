-- One cycle per Zendesk account at a time, across every backend instance: a lease the running
-- cycle renews, so a crashed instance's cycle is taken over once the lease runs out.
ALTER TABLE zendesk_accounts
  ADD COLUMN cycle_owner text,
  ADD COLUMN cycle_expires_at timestamptz;
