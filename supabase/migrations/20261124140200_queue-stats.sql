-- What the monitoring cards and /metrics read about the queue's work: per-minute counters per tenant, channel and
-- kind, kept by triggers on the processor's side of the queue (completions, failures, dead letters), so no figure
-- ever scans history. The webhooks' side stays as cheap as it was: how many jobs wait is read from the queue
-- itself (it only holds work still to do) and sampled once a minute for the sparklines (app.queue_samples).
--   completed … dead_lettered   what happened in that minute
--   latency_*                   enqueue-to-completion time of the jobs completed in that minute
-- Rows older than two hours fold into one row per tenant, channel and kind whose minute is -infinity
-- (app.fold_queue_stats), so totals stay exact and the table stays small.
--
-- Processors finish batches side by side. Instead of one row per key that every writer would queue behind until
-- commit, a writer bumps any row of its key that nobody else holds (FOR UPDATE SKIP LOCKED), or adds one: writers
-- never wait on each other, so they can never deadlock, and a key has about as many rows as it had concurrent
-- writers. Readers sum them.
create table app.queue_stats (
  id bigint generated always as identity primary key,
  -- the nil uuid when the row has no owner (app.queue_row_owner)
  tenant_id uuid not null,
  channel_id uuid not null,
  kind text not null,
  minute timestamptz not null,
  completed integer not null default 0,
  -- failed attempts: those scheduled for a retry and those that ended as dead letters
  failed integer not null default 0,
  retried integer not null default 0,
  dead_lettered integer not null default 0,
  latency_ms_sum bigint not null default 0,
  latency_ms_max integer,
  -- completions per latency bucket (app.latency_bucket_bounds(), then +Inf), not cumulative
  latency_buckets integer[] not null default '{0,0,0,0,0,0,0,0,0,0,0,0}',
  last_completed_at timestamptz
);
create index queue_stats_key_idx on app.queue_stats (tenant_id, minute, channel_id, kind);
alter table app.queue_stats enable row level security;
grant select on app.queue_stats to service_role;

-- Upper bounds (ms) of the latency histogram's buckets; the last bucket is +Inf. This and the bucket counter run
-- for every completed job, so they name nothing unqualified and carry no search_path setting: the constant is
-- inlined and the counter is not re-configured on each call.
create function app.latency_bucket_bounds() returns integer[]
language sql immutable as $$
  select '{50,100,250,500,1000,2500,5000,10000,30000,60000,300000}'::integer[]
$$;

create function app.count_in_bucket(p_counts integer[], p_ms double precision) returns integer[]
language plpgsql immutable as $$
declare
  v_bucket integer := pg_catalog.width_bucket(p_ms, app.latency_bucket_bounds()) + 1;
begin
  p_counts[v_bucket] := p_counts[v_bucket] + 1;
  return p_counts;
end;
$$;

-- latency_histogram(ms): the bucket counts of a set of latencies, in the layout of queue_stats.latency_buckets.
create aggregate app.latency_histogram(double precision) (
  sfunc = app.count_in_bucket, stype = integer[], initcond = '{0,0,0,0,0,0,0,0,0,0,0,0}'
);

create function app.add_counts(p_a integer[], p_b integer[]) returns integer[]
language sql immutable set search_path = '' as $$
  select coalesce(array_agg(coalesce(a, 0) + coalesce(b, 0) order by i), p_a)
  from unnest(p_a, p_b) with ordinality as t (a, b, i)
$$;

create function app.add_queue_stats(
  p_tenant_id uuid, p_channel_id uuid, p_kind text, p_minute timestamptz,
  p_completed integer default 0, p_failed integer default 0, p_retried integer default 0,
  p_dead_lettered integer default 0, p_latency_ms_sum bigint default 0, p_latency_ms_max integer default null,
  p_latency_buckets integer[] default null, p_last_completed_at timestamptz default null
) returns void
language plpgsql volatile set search_path = '' as $$
declare
  v_tenant uuid := coalesce(p_tenant_id, '00000000-0000-0000-0000-000000000000');
  v_channel uuid := coalesce(p_channel_id, '00000000-0000-0000-0000-000000000000');
begin
  update app.queue_stats s set
    completed = s.completed + p_completed,
    failed = s.failed + p_failed,
    retried = s.retried + p_retried,
    dead_lettered = s.dead_lettered + p_dead_lettered,
    latency_ms_sum = s.latency_ms_sum + p_latency_ms_sum,
    latency_ms_max = greatest(s.latency_ms_max, p_latency_ms_max),
    latency_buckets = case when p_latency_buckets is null then s.latency_buckets
                           else app.add_counts(s.latency_buckets, p_latency_buckets) end,
    last_completed_at = greatest(s.last_completed_at, p_last_completed_at)
  where s.id = (
    select x.id from app.queue_stats x
    where x.tenant_id = v_tenant and x.minute = p_minute and x.channel_id = v_channel and x.kind = p_kind
    limit 1
    for update skip locked);
  if not found then
    insert into app.queue_stats (tenant_id, channel_id, kind, minute, completed, failed, retried, dead_lettered,
      latency_ms_sum, latency_ms_max, latency_buckets, last_completed_at)
    values (v_tenant, v_channel, p_kind, p_minute, p_completed, p_failed, p_retried, p_dead_lettered,
      p_latency_ms_sum, p_latency_ms_max, coalesce(p_latency_buckets, '{0,0,0,0,0,0,0,0,0,0,0,0}'),
      p_last_completed_at);
  end if;
end;
$$;

-- ─── the processor's side of the queue: one aggregate per statement where it works in batches ───

-- Rows leave the queue when completed, or when app.fail buries them among the dead letters in the same statement.
create function app.queue_rows_removed() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform app.add_queue_stats(g.tenant_id, g.channel_id, g.kind, date_trunc('minute', now()),
    p_completed => g.completed, p_failed => g.buried, p_dead_lettered => g.buried,
    p_latency_ms_sum => g.latency_sum, p_latency_ms_max => g.latency_max, p_latency_buckets => g.buckets,
    p_last_completed_at => case when g.completed > 0 then now() end)
  from (
    select r.tenant_id, r.channel_id, r.kind,
      count(*) filter (where r.buried)::integer as buried,
      count(*) filter (where not r.buried)::integer as completed,
      coalesce(sum(r.ms) filter (where not r.buried), 0)::bigint as latency_sum,
      max(r.ms) filter (where not r.buried)::integer as latency_max,
      app.latency_histogram(r.ms) filter (where not r.buried) as buckets
    from (
      select o.tenant_id, o.channel_id, o.kind,
        extract(epoch from now() - o.created_at) * 1000 as ms,
        exists (select 1 from app.failed_messages f where f.id = o.id and f.failed_at = now()) as buried
      from removed o
    ) r
    group by r.tenant_id, r.channel_id, r.kind
  ) g;
  return null;
end;
$$;
create trigger message_queue_rows_removed after delete on app.message_queue
  referencing old table as removed for each statement execute function app.queue_rows_removed();

-- A failure scheduled for a retry (app.fail sets last_error; claims never do, so they never fire this).
create function app.queue_row_failed() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform app.add_queue_stats(new.tenant_id, new.channel_id, new.kind, date_trunc('minute', now()),
    p_failed => 1, p_retried => 1);
  return null;
end;
$$;
create trigger message_queue_row_failed after update of last_error on app.message_queue
  for each row when (jsonb_array_length(new.errors) > jsonb_array_length(old.errors))
  execute function app.queue_row_failed();

-- A new dead letter is announced on its tenant's topic, so the managers' cards and lists update at once (the
-- event carries ids only; the payload stays behind the managers' dead-letter view).
create function app.dead_letter_added() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.tenant_id is not null then
    perform app.record_event(new.tenant_id, 'dead_letter.created', 'tenant:' || new.tenant_id,
      jsonb_build_object('id', new.id, 'kind', new.kind, 'channel_id', new.channel_id,
        'message_id', app.try_uuid(new.payload ->> 'message_id'), 'failed_at', new.failed_at),
      p_channel_id => new.channel_id, p_message_id => app.try_uuid(new.payload ->> 'message_id'));
  end if;
  return null;
end;
$$;
create trigger dead_letter_added after insert on app.failed_messages
  for each row execute function app.dead_letter_added();

-- ─── the gauges' history ───
-- Waiting, retrying and dead-letter counts and the oldest wait, once a minute per tenant that has any (pg_cron),
-- for the sparklines; the cards' current values are read live. A tenant without a sample had nothing.
create table app.queue_samples (
  tenant_id uuid not null,
  minute timestamptz not null,
  waiting integer not null,
  retrying integer not null,
  dead integer not null,
  oldest_seconds numeric not null,
  primary key (tenant_id, minute)
);
alter table app.queue_samples enable row level security;
grant select on app.queue_samples to service_role;

create function app.sample_queue() returns void
language sql volatile set search_path = '' as $$
  insert into app.queue_samples as s (tenant_id, minute, waiting, retrying, dead, oldest_seconds)
  select coalesce(q.tenant_id, d.tenant_id), date_trunc('minute', now()), coalesce(q.waiting, 0),
    coalesce(q.retrying, 0), coalesce(d.dead, 0), coalesce(q.oldest_seconds, 0)
  from (
    select m.tenant_id, count(*) as waiting, count(*) filter (where m.last_error is not null) as retrying,
      round(extract(epoch from now() - min(m.created_at))::numeric, 1) as oldest_seconds
    from app.message_queue m where m.tenant_id is not null group by m.tenant_id
  ) q
  full join (
    select f.tenant_id, count(*) as dead from app.failed_messages f
    where f.discarded_at is null and f.tenant_id is not null group by f.tenant_id
  ) d on d.tenant_id = q.tenant_id
  on conflict (tenant_id, minute) do update
    set waiting = excluded.waiting, retrying = excluded.retrying, dead = excluded.dead,
      oldest_seconds = excluded.oldest_seconds
$$;
grant execute on function app.sample_queue() to service_role;

select cron.schedule('atende-sample-queue', '* * * * *', 'select app.sample_queue()');

-- Keeps two hours of minutes (the cards compare the last hour with the one before) and folds older counters into
-- each key's -infinity row, so totals stay exact.
create function app.fold_queue_stats() returns integer
language plpgsql volatile set search_path = '' as $$
declare
  v_folded integer;
begin
  with old as (
    delete from app.queue_stats s
    where s.minute < date_trunc('minute', now()) - interval '130 minutes' and s.minute <> '-infinity'
    returning s.*
  ), sums as (
    select o.tenant_id, o.channel_id, o.kind, count(*) as rows,
      sum(o.completed)::integer as completed, sum(o.failed)::integer as failed, sum(o.retried)::integer as retried,
      sum(o.dead_lettered)::integer as dead_lettered, sum(o.latency_ms_sum)::bigint as latency_ms_sum,
      max(o.latency_ms_max) as latency_ms_max, max(o.last_completed_at) as last_completed_at,
      (select array_agg(t.n order by t.i) from (
        select b.i, sum(b.n)::integer as n from old x cross join unnest(x.latency_buckets) with ordinality b (n, i)
        where (x.tenant_id, x.channel_id, x.kind) = (o.tenant_id, o.channel_id, o.kind) group by b.i) t
      ) as latency_buckets
    from old o
    group by o.tenant_id, o.channel_id, o.kind
  )
  select coalesce(sum(s.rows), 0)::integer into v_folded
  from sums s
  cross join lateral app.add_queue_stats(s.tenant_id, s.channel_id, s.kind, '-infinity', s.completed, s.failed,
    s.retried, s.dead_lettered, s.latency_ms_sum, s.latency_ms_max, s.latency_buckets, s.last_completed_at) f;
  delete from app.queue_samples q where q.minute < date_trunc('minute', now()) - interval '130 minutes';
  return v_folded;
end;
$$;
grant execute on function app.fold_queue_stats() to service_role;
