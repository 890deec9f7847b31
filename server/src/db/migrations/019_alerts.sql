-- Alerts: where an account's admins want to hear about trouble (an email address, or a Slack/Teams
-- compatible webhook), the account's own SMTP server when it does not use the environment's, and
-- when each kind of alert last went to each target (at most one per period).
CREATE TABLE alert_targets (
  id                  bigserial PRIMARY KEY,
  zendesk_account_id  bigint NOT NULL REFERENCES zendesk_accounts (id) ON DELETE CASCADE,
  kind                text NOT NULL CHECK (kind IN ('email', 'webhook')),
  -- An email address, or the webhook's https URL.
  address             text NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (zendesk_account_id, kind, address)
);

CREATE TABLE alert_smtp_settings (
  zendesk_account_id  bigint PRIMARY KEY REFERENCES zendesk_accounts (id) ON DELETE CASCADE,
  host                text NOT NULL,
  port                integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
  secure              boolean NOT NULL DEFAULT false,
  username            text,
  password_enc        text,
  from_address        text NOT NULL,
  updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE alert_sends (
  zendesk_account_id  bigint NOT NULL REFERENCES zendesk_accounts (id) ON DELETE CASCADE,
  target_id     bigint NOT NULL REFERENCES alert_targets (id) ON DELETE CASCADE,
  -- What the alert is about, e.g. connection_failing:12 or problems_piling.
  topic         text NOT NULL,
  last_sent_at  timestamptz NOT NULL DEFAULT now(),
  last_error    text,
  PRIMARY KEY (target_id, topic)
);
