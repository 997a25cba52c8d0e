-- Keeps the monitoring tables small: every ten minutes old minutes fold into their totals; first responses are
-- only ever read for today, so a week is plenty.
create function app.prune_ops_history() returns void
language plpgsql volatile set search_path = '' as $$
begin
  perform app.fold_queue_stats();
  perform app.fold_webhook_stats();
  delete from app.first_responses f where f.responded_at < now() - interval '7 days';
end;
$$;
grant execute on function app.prune_ops_history() to service_role;

select cron.schedule('atende-prune-ops-history', '*/10 * * * *', 'select app.prune_ops_history()');
