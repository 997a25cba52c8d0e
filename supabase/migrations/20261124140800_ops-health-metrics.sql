-- What /health and /metrics read, each in one call through the functions' own database connection.

-- Queue lag: how long the oldest job that is due (and not being worked on) has been waiting for a processor.
-- The queue holds only work still to do, so this reads the backlog, never history.
create function app.health() returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object(
    'queue_lag_seconds', (
      select coalesce(round(extract(epoch from now() - min(q.scheduled_at))::numeric, 1), 0)
      from app.message_queue q
      where q.scheduled_at <= now() and (q.leased_until is null or q.leased_until <= now())),
    'processor_last_run_at', r.last_run_at,
    'processor_age_seconds', round(extract(epoch from now() - r.last_run_at)::numeric, 1),
    'cron_job_active', coalesce((select bool_or(j.active) from cron.job j where j.jobname = 'atende-queue-processor'),
      false))
  from app.processor_runs r
$$;
grant execute on function app.health() to service_role;

-- Platform-wide figures for Prometheus: the queue's depth by kind read live (the queue holds only work still to
-- do), counters and the latency histogram per kind from the per-minute counters (whose folded rows keep them
-- monotonic), webhook requests per provider and status.
create function app.metrics() returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object(
    'queue', (
      select coalesce(jsonb_agg(jsonb_build_object(
        'kind', k.kind, 'waiting', coalesce(d.waiting, 0), 'retrying', coalesce(d.retrying, 0),
        'dead', coalesce(f.dead, 0), 'completed', coalesce(c.completed, 0), 'failed', coalesce(c.failed, 0),
        'dead_lettered', coalesce(c.dead_lettered, 0), 'latency_ms_sum', coalesce(c.latency_ms_sum, 0),
        'latency_buckets', coalesce((
          select jsonb_agg(b.n order by b.i) from (
            select u.i, sum(u.n) as n from app.queue_stats s
            cross join unnest(s.latency_buckets) with ordinality u (n, i)
            where s.kind = k.kind group by u.i) b), '[]')
      ) order by k.kind), '[]')
      from (
        select s.kind from app.queue_stats s union select q.kind from app.message_queue q
        union select x.kind from app.failed_messages x where x.discarded_at is null
      ) k
      left join (
        select s.kind, sum(s.completed) as completed, sum(s.failed) as failed,
          sum(s.dead_lettered) as dead_lettered, sum(s.latency_ms_sum) as latency_ms_sum
        from app.queue_stats s group by s.kind
      ) c on c.kind = k.kind
      left join (
        select q.kind, count(*) as waiting, count(*) filter (where q.last_error is not null) as retrying
        from app.message_queue q group by q.kind
      ) d on d.kind = k.kind
      left join (
        select x.kind, count(*) as dead from app.failed_messages x where x.discarded_at is null group by x.kind
      ) f on f.kind = k.kind),
    'webhooks', (
      select coalesce(jsonb_agg(jsonb_build_object('provider', w.provider, 'status', w.status,
        'requests', w.requests) order by w.provider, w.status), '[]')
      from (
        select x.provider, x.status, sum(x.requests) as requests from app.webhook_stats x group by x.provider, x.status
      ) w),
    'latency_bucket_bounds_ms', to_jsonb(app.latency_bucket_bounds()),
    'health', app.health())
$$;
grant execute on function app.metrics() to service_role;
