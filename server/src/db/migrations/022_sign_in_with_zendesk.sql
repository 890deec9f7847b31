-- Sign in with Zendesk and self-service onboarding (issue 21).

-- An admin who signs in with Zendesk is that account's Zendesk user: found again by its id (an email
-- can change in Zendesk). Such a login has no password: `password_hash` holds a marker no password
-- verifies against (see admin/zendesk-sign-in.ts), so the password form never admits it.
ALTER TABLE admin_users ADD COLUMN zendesk_user_id bigint;
CREATE UNIQUE INDEX admin_users_account_zendesk_user_idx ON admin_users (zendesk_account_id, zendesk_user_id) WHERE zendesk_user_id IS NOT NULL;

-- An account's PSA Link admins may let its Zendesk agents sign in too, read-only: such a login sees
-- everything and changes nothing (admin-auth refuses its writes). Decided at each sign-in from the
-- user's Zendesk role, so a promotion or demotion in Zendesk follows.
ALTER TABLE admin_users ADD COLUMN read_only boolean NOT NULL DEFAULT false;
ALTER TABLE zendesk_accounts ADD COLUMN agents_read_only boolean NOT NULL DEFAULT false;

-- Local password logins stay for self-hosted installations; an account's admins can switch them off.
ALTER TABLE zendesk_accounts ADD COLUMN password_sign_in boolean NOT NULL DEFAULT true;
