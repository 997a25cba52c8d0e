-- Forgets what no provider will redeliver any more: dedupe keys and never-matched early receipts older than the
-- retention (Meta retries for 7 days). Hourly, so each run deletes a small slice.
create function app.prune_queue_history() returns void
language sql volatile set search_path = '' as $$
  delete from app.queue_keys k
  where k.enqueued_at < now() - (select s.dedupe_retention from app.queue_settings s);
  delete from app.early_receipts e
  where e.received_at < now() - (select s.dedupe_retention from app.queue_settings s);
$$;

create extension if not exists pg_cron;
select cron.schedule('atende-prune-queue-history', '17 * * * *', 'select app.prune_queue_history()');
