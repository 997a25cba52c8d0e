-- Processing can be held back for a while: an operator lets a provider outage pass before retries burn their
-- attempts, and the ingest benchmark measures webhooks alone. Webhooks keep storing; nothing is claimed until the
-- pause ends, which it does by itself, so a forgotten pause cannot stall the queue for good.
--   update app.queue_settings set paused_until = now() + interval '15 minutes';   -- pause
--   update app.queue_settings set paused_until = null;                            -- resume
alter table app.queue_settings add column paused_until timestamptz;
grant update (paused_until) on app.queue_settings to service_role;

-- The same claim, answering nothing while processing is paused.
create or replace function app.claim(p_batch_size integer, p_lease_seconds integer DEFAULT 60)
returns setof app.message_queue
language plpgsql set search_path = '' as $function$
declare
  v_ready bigint[];
  v_exhausted bigint[];
begin
  if (select s.paused_until > now() from app.queue_settings s) then
    return;
  end if;
  select coalesce(array_agg(p.id) filter (where p.attempts < p.max_attempts), '{}'),
    coalesce(array_agg(p.id) filter (where p.attempts >= p.max_attempts), '{}')
  into v_ready, v_exhausted
  from (
    select q.id, q.attempts, q.max_attempts
    from app.message_queue q
    where q.scheduled_at <= now()
      and (q.leased_until is null or q.leased_until <= now())
      and (q.ordering_key is null or not exists (
        select 1 from app.message_queue older where older.ordering_key = q.ordering_key and older.id < q.id))
    order by q.priority desc, q.id
    limit p_batch_size
    for update skip locked
  ) p;
  -- The lease ran out on the last attempt: the row took its worker down every time, so it is not handed out again.
  if cardinality(v_exhausted) > 0 then
    perform app.fail((
      select jsonb_agg(jsonb_build_object('id', x, 'error', 'lease_expired', 'retryable', false))
      from unnest(v_exhausted) x));
  end if;
  return query
    with leased as (
      update app.message_queue q set
        attempts = q.attempts + 1,
        leased_until = now() + make_interval(secs => p_lease_seconds),
        updated_at = now()
      where q.id = any(v_ready)
      returning q.*
    )
    select * from leased order by leased.priority desc, leased.id;
end;
$function$;

-- /health tells a pause apart from a stalled processor.
create or replace function app.health() returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object(
    'queue_lag_seconds', (
      select coalesce(round(extract(epoch from now() - min(q.scheduled_at))::numeric, 1), 0)
      from app.message_queue q
      where q.scheduled_at <= now() and (q.leased_until is null or q.leased_until <= now())),
    'processor_last_run_at', r.last_run_at,
    'processor_age_seconds', round(extract(epoch from now() - r.last_run_at)::numeric, 1),
    'cron_job_active', coalesce((select bool_or(j.active) from cron.job j where j.jobname = 'atende-queue-processor'),
      false),
    'paused_until', (select s.paused_until from app.queue_settings s where s.paused_until > now()))
  from app.processor_runs r
$$;
