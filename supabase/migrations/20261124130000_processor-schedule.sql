-- The safety net behind the webhooks' kicks: pg_cron invokes the queue processor every minute (pg_cron 1.4, as
-- Debian ships it locally, schedules by the minute only). The URL and key come from Vault, as Supabase documents
-- for scheduled functions: on a hosted project create the secrets `project_url` and `service_role_key` once
-- (see README); the offline stack writes them at start.
select cron.schedule(
  'atende-queue-processor',
  '* * * * *',
  $$
  select net.http_post(
    url := (select decrypted_secret from vault.decrypted_secrets where name = 'project_url')
      || '/functions/v1/queue-processor',
    headers := jsonb_build_object(
      'Content-Type', 'application/json',
      'Authorization', 'Bearer ' || (select decrypted_secret from vault.decrypted_secrets where name = 'service_role_key')
    ),
    body := '{"reason": "cron"}'::jsonb,
    timeout_milliseconds := 30000
  )
  where exists (select 1 from vault.decrypted_secrets where name = 'project_url')
  $$
);
