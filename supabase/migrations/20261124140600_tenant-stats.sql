-- The figures behind the managers' cards, in one call: public.tenant_stats(tenant_id, time_zone). Everything is
-- read from the per-minute counters and samples, the live queue, a few small partial indexes and the channel
-- list, never from history.
--
-- Each queue card is {value, previous, trend, level, series}: `series` has one point per minute for the last hour
-- (oldest first, the last one is now), `previous` is the value one window earlier (5 minutes; 60 for the hourly
-- error rate), `trend` is up, down or flat against it, and `level` (ok, warning, critical) comes from the
-- thresholds below.

create table app.card_thresholds (
  card text primary key,
  warning numeric not null,
  critical numeric not null check (critical >= warning)
);
insert into app.card_thresholds (card, warning, critical) values
  ('waiting', 100, 1000),
  ('oldest_waiting_seconds', 60, 300),
  ('error_rate_5m', 5, 20),
  ('error_rate_60m', 2, 10),
  ('retries_scheduled', 10, 100),
  ('dead_letters', 1, 20),
  ('longest_conversation_wait_seconds', 300, 900);
alter table app.card_thresholds enable row level security;
grant select, insert, update, delete on app.card_thresholds to service_role;

create function app.card(p_name text, p_value numeric, p_previous numeric, p_series numeric[]) returns jsonb
language sql stable set search_path = '' as $$
  select jsonb_build_object(
    'value', p_value,
    'previous', p_previous,
    'trend', case when p_previous is null or p_value = p_previous then 'flat'
                  when p_value > p_previous then 'up' else 'down' end,
    'level', case when t.card is null then 'ok' when p_value >= t.critical then 'critical'
                  when p_value >= t.warning then 'warning' else 'ok' end,
    'series', to_jsonb(p_series))
  from (select 1) one left join app.card_thresholds t on t.card = p_name
$$;

-- Failed share of the attempts, in percent with one decimal; 0 when nothing was attempted.
create function app.error_rate(p_failed numeric, p_completed numeric) returns numeric
language sql immutable set search_path = '' as $$
  select case when coalesce(p_failed, 0) + coalesce(p_completed, 0) = 0 then 0
    else round(100.0 * p_failed / (p_failed + p_completed), 1) end
$$;

-- Current values are read live: the queue holds only work still to do (the tenant's rows through its index) and
-- dead letters awaiting a decision are few. History comes from the per-minute counters and samples.
create function app.queue_cards(p_tenant_id uuid) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_now timestamptz := date_trunc('minute', now());
  v_live record;
  v_dead integer;
  v record;
begin
  select count(*) as waiting, count(*) filter (where q.last_error is not null) as retrying,
    coalesce(round(extract(epoch from now() - min(q.created_at))::numeric, 1), 0) as oldest
  into v_live
  from app.message_queue q where q.tenant_id = p_tenant_id;
  select count(*) into v_dead from app.failed_messages f where f.tenant_id = p_tenant_id and f.discarded_at is null;

  with minutes as (
    select m, (extract(epoch from v_now - m) / 60)::integer as ago
    from generate_series(v_now - interval '119 minutes', v_now, interval '1 minute') m
  ), counts as (
    select s.minute, sum(s.completed) as completed, sum(s.failed) as failed
    from app.queue_stats s
    where s.tenant_id = p_tenant_id and s.minute > v_now - interval '120 minutes'
    group by s.minute
  ), series as (
    -- the last point of a gauge is its live value; earlier ones are the minute's sample
    select mi.ago, coalesce(c.completed, 0) as completed, coalesce(c.failed, 0) as failed,
      case when mi.ago = 0 then v_live.waiting else coalesce(x.waiting, 0) end as waiting,
      case when mi.ago = 0 then v_live.retrying else coalesce(x.retrying, 0) end as retrying,
      case when mi.ago = 0 then v_dead else coalesce(x.dead, 0) end as dead,
      case when mi.ago = 0 then v_live.oldest else coalesce(x.oldest_seconds, 0) end as oldest
    from minutes mi
    left join counts c on c.minute = mi.m
    left join app.queue_samples x on x.tenant_id = p_tenant_id and x.minute = mi.m
  )
  select
    array_agg(s.waiting order by s.ago desc) filter (where s.ago < 60) as waiting,
    max(s.waiting) filter (where s.ago = 5) as waiting_before,
    array_agg(s.oldest order by s.ago desc) filter (where s.ago < 60) as oldest,
    max(s.oldest) filter (where s.ago = 5) as oldest_before,
    array_agg(s.retrying order by s.ago desc) filter (where s.ago < 60) as retrying,
    max(s.retrying) filter (where s.ago = 5) as retrying_before,
    array_agg(s.dead order by s.ago desc) filter (where s.ago < 60) as dead,
    max(s.dead) filter (where s.ago = 5) as dead_before,
    array_agg(s.completed order by s.ago desc) filter (where s.ago < 60) as completed,
    sum(s.completed) filter (where s.ago < 5) as completed_5,
    sum(s.completed) filter (where s.ago between 5 and 9) as completed_5_before,
    array_agg(app.error_rate(s.failed, s.completed) order by s.ago desc) filter (where s.ago < 60) as error_rate,
    app.error_rate(sum(s.failed) filter (where s.ago < 5), sum(s.completed) filter (where s.ago < 5)) as rate_5,
    app.error_rate(sum(s.failed) filter (where s.ago between 5 and 9),
      sum(s.completed) filter (where s.ago between 5 and 9)) as rate_5_before,
    app.error_rate(sum(s.failed) filter (where s.ago < 60), sum(s.completed) filter (where s.ago < 60)) as rate_60,
    app.error_rate(sum(s.failed) filter (where s.ago >= 60), sum(s.completed) filter (where s.ago >= 60))
      as rate_60_before
  into v
  from series s;

  return jsonb_build_object(
    'series_start', v_now - interval '59 minutes',
    'waiting', app.card('waiting', v_live.waiting, v.waiting_before, v.waiting),
    'oldest_waiting_seconds', app.card('oldest_waiting_seconds', v_live.oldest, v.oldest_before, v.oldest),
    'processing_rate_per_minute', app.card('processing_rate_per_minute', round(v.completed_5 / 5.0, 1),
      round(v.completed_5_before / 5.0, 1), v.completed),
    'error_rate_5m', app.card('error_rate_5m', v.rate_5, v.rate_5_before, v.error_rate),
    'error_rate_60m', app.card('error_rate_60m', v.rate_60, v.rate_60_before, v.error_rate),
    'retries_scheduled', app.card('retries_scheduled', v_live.retrying, v.retrying_before, v.retrying),
    'dead_letters', app.card('dead_letters', v_dead, v.dead_before, v.dead));
end;
$$;

create function app.team_cards(p_tenant_id uuid, p_time_zone text) returns jsonb
language sql stable set search_path = '' as $$
  select jsonb_build_object(
    'waiting_conversations', w.waiting,
    'longest_conversation_wait_seconds', app.card('longest_conversation_wait_seconds', w.longest, null, null),
    'open_conversations_per_agent', (
      select coalesce(jsonb_agg(jsonb_build_object('user_id', m.user_id, 'display_name', m.display_name,
        'role', m.role, 'open_conversations', coalesce(o.open, 0)) order by coalesce(o.open, 0) desc, m.display_name), '[]')
      from public.members m
      left join (
        select c.assignee_id, count(*) as open from public.conversations c
        where c.tenant_id = p_tenant_id and c.assignee_id is not null and c.status <> 'closed'
        group by c.assignee_id
      ) o on o.assignee_id = m.user_id
      where m.tenant_id = p_tenant_id),
    'first_response_today', (
      select jsonb_build_object('conversations', count(*),
        'median_seconds', round(percentile_cont(0.5) within group (order by r.seconds)::numeric, 1),
        'p90_seconds', round(percentile_cont(0.9) within group (order by r.seconds)::numeric, 1))
      from (
        select extract(epoch from f.responded_at - f.customer_at) as seconds
        from app.first_responses f
        where f.tenant_id = p_tenant_id
          and f.responded_at >= (date_trunc('day', now() at time zone p_time_zone) at time zone p_time_zone)
      ) r))
  from (
    select count(*) as waiting, round(coalesce(extract(epoch from now() - min(c.created_at)), 0), 1) as longest
    from public.conversations c
    where c.tenant_id = p_tenant_id and c.assignee_id is null and c.status <> 'closed'
  ) w
$$;

-- Each channel's connection: Evolution reports it (connection.update); for the Cloud API the last webhook and the
-- last event applied or message sent tell whether the number works.
create function app.channel_health(p_tenant_id uuid) returns jsonb
language sql stable set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object(
      'id', c.id, 'name', c.name, 'provider', c.provider, 'external_id', c.external_id,
      'status', c.status, 'status_reason', c.status_reason, 'status_changed_at', c.status_changed_at,
      'last_webhook_at', w.last_ok_at, 'last_webhook_error_at', w.last_error_at,
      'last_webhook_error_status', w.last_error_status, 'webhook_errors_1h', w.errors_1h,
      'last_received_at', q.last_received_at, 'last_sent_at', q.last_sent_at,
      'level', case
        when c.status = 'close' then 'critical'
        when c.status = 'connecting' or w.errors_1h > 0 then 'warning'
        when c.status = 'open' or w.last_ok_at > now() - interval '24 hours' then 'ok'
        else 'unknown' end
    ) order by c.name), '[]')
  from public.channels c
  cross join lateral (
    select max(x.last_at) filter (where x.status between 200 and 299) as last_ok_at,
      max(x.last_at) filter (where x.status >= 400) as last_error_at,
      (array_agg(x.status order by x.last_at desc) filter (where x.status >= 400))[1] as last_error_status,
      coalesce(sum(x.requests) filter (where x.status >= 400 and x.minute > now() - interval '1 hour'), 0)
        as errors_1h
    from app.webhook_stats x where x.channel_id = c.id
  ) w
  cross join lateral (
    select max(s.last_completed_at) filter (where s.kind = 'inbound_event') as last_received_at,
      max(s.last_completed_at) filter (where s.kind = 'outbound_message') as last_sent_at
    from app.queue_stats s where s.tenant_id = c.tenant_id and s.channel_id = c.id
  ) q
  where c.tenant_id = p_tenant_id
$$;

create function public.tenant_stats(tenant_id uuid, time_zone text default 'UTC') returns jsonb
language plpgsql stable security definer set search_path = '' as $$
begin
  if not app.has_role(tenant_stats.tenant_id, 'manager') then
    raise exception using errcode = 'PT403', message = 'not_allowed',
      detail = 'Only managers and admins of this tenant see its monitoring.';
  end if;
  begin
    perform now() at time zone tenant_stats.time_zone;
  exception when invalid_parameter_value then
    raise exception using errcode = 'PT400', message = 'invalid_time_zone', detail = tenant_stats.time_zone;
  end;
  return jsonb_build_object(
    'tenant_id', tenant_stats.tenant_id,
    'generated_at', now(),
    'queue', app.queue_cards(tenant_stats.tenant_id),
    'team', app.team_cards(tenant_stats.tenant_id, tenant_stats.time_zone),
    'channels', app.channel_health(tenant_stats.tenant_id),
    'thresholds', (select jsonb_object_agg(t.card, jsonb_build_object('warning', t.warning, 'critical', t.critical))
                   from app.card_thresholds t));
end;
$$;
grant execute on function public.tenant_stats(uuid, text) to authenticated;
