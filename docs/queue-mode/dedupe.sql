-- A strict, cross-process duplicate guard for SMS gateway events in n8n queue mode
-- (docs/queue-mode.md, "Duplicates"). Run once in a PostgreSQL database every worker can
-- reach (n8n's own server will do; a database of its own keeps it apart from n8n's tables).
--
-- In the workflow, right after the SMS Gateway Trigger, a Postgres node (Execute Query):
--   Query:             SELECT claimed FROM sms_gateway_claim($1) AS claimed
--   Query Parameters:  {{ [$json.dedupeKey] }}
-- The first execution to claim a key gets one row and the workflow goes on; every later
-- one, on any worker, at any moment, gets no row and the workflow stops there. The primary
-- key makes the claim atomic. Nodes after it read the event with
-- {{ $('SMS Gateway Trigger').item.json }}.
--
-- The query is a SELECT on purpose: for an INSERT that returns no row the Postgres node
-- outputs {"success": true} and the workflow would go on.

CREATE TABLE IF NOT EXISTS sms_gateway_dedupe (
	dedupe_key text PRIMARY KEY,
	claimed_at timestamptz NOT NULL DEFAULT now()
);

CREATE OR REPLACE FUNCTION sms_gateway_claim(key text) RETURNS SETOF text
LANGUAGE sql AS $$
	INSERT INTO sms_gateway_dedupe (dedupe_key) VALUES (key)
	ON CONFLICT (dedupe_key) DO NOTHING
	RETURNING dedupe_key
$$;

-- Gateways stop redelivering within a day or so (MX Telecom: 10 tries with backoff;
-- BulkSMS: 60 min, 3 h, 12 h; GatewayAPI: a day). Prune older claims now and then, e.g.
-- from a Schedule Trigger workflow or cron:
--   DELETE FROM sms_gateway_dedupe WHERE claimed_at < now() - interval '3 days';
