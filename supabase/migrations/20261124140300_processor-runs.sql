-- When the queue processor last finished a run: /health fails when it has not run for longer than its threshold
-- (pg_cron invokes it every minute, so a stale run means the safety net is down).
create table app.processor_runs (
  singleton boolean primary key default true check (singleton),
  last_run_at timestamptz,
  last_processed integer not null default 0,
  last_failed integer not null default 0,
  last_ms integer not null default 0,
  runs bigint not null default 0
);
insert into app.processor_runs default values;
alter table app.processor_runs enable row level security;
grant select on app.processor_runs to service_role;

create function app.record_processor_run(p_processed integer, p_failed integer, p_ms integer) returns void
language sql volatile set search_path = '' as $$
  update app.processor_runs r set last_run_at = now(), last_processed = p_processed, last_failed = p_failed,
    last_ms = p_ms, runs = r.runs + 1
$$;
grant execute on function app.record_processor_run(integer, integer, integer) to service_role;
