-- The sandbox's demo account is marked by a column, not recognised by its subdomain: a real
-- customer may well be called demo.zendesk.com. Only an account whose Zendesk is the in-process
-- emulator (its base URL under /sandbox/zendesk) was the sandbox's.
ALTER TABLE zendesk_accounts ADD COLUMN sandbox boolean NOT NULL DEFAULT false;
UPDATE zendesk_accounts SET sandbox = true WHERE subdomain = 'demo' AND base_url LIKE '%/sandbox/zendesk';
