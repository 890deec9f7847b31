-- The admin console's security (issue 13).

-- An admin login is unique within its Zendesk account, not across the installation: one account's
-- admin must not be able to take another account's owner address before that owner signs up.
-- Sign-in then names the account when the same email administers several (see admin/sign-in.ts).
DROP INDEX admin_users_email_idx;
CREATE UNIQUE INDEX admin_users_account_email_idx ON admin_users (zendesk_account_id, lower(email));
CREATE INDEX admin_users_email_idx ON admin_users (lower(email));

-- The audit log keeps who did what after the admin is removed: their email is written on each
-- entry, and the row no longer points at admin_users through a key that would null it.
ALTER TABLE audit_log ADD COLUMN actor_email text;
UPDATE audit_log a SET actor_email = u.email FROM admin_users u WHERE u.id = a.admin_user_id;
ALTER TABLE audit_log DROP CONSTRAINT audit_log_admin_user_id_fkey;

-- A Zendesk OAuth connect comes back from zendesk.com, a cross-site navigation that does not carry
-- the SameSite=Strict session cookie. A short-lived SameSite=Lax cookie (only its hash is kept
-- here) ties the callback to the session that started the connect.
ALTER TABLE admin_sessions ADD COLUMN oauth_binding_hash text, ADD COLUMN oauth_started_at timestamptz;
CREATE INDEX admin_sessions_oauth_binding_idx ON admin_sessions (oauth_binding_hash) WHERE oauth_binding_hash IS NOT NULL;
