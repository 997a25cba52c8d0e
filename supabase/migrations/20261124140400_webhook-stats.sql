-- Webhook requests per channel, provider, HTTP status and minute. The webhooks count in memory and flush every
-- second or so in the background, so counting never adds a round trip to a webhook. Minutes older than 25 hours
-- fold into the key's -infinity row (totals for /metrics, the last request ever seen for the channel card).
create table app.webhook_stats (
  -- the nil uuid for requests that named no known channel
  channel_id uuid not null,
  provider text not null,
  status integer not null,
  minute timestamptz not null,
  requests integer not null default 0,
  last_at timestamptz not null,
  primary key (channel_id, minute, provider, status)
);
alter table app.webhook_stats enable row level security;
grant select on app.webhook_stats to service_role;

-- p_counts: [{provider, channel_id?, status, requests, last_at}], at most one entry per key. Keys are written in
-- order, so two flushes sharing keys wait for each other instead of deadlocking.
create function app.record_webhook_requests(p_counts jsonb) returns void
language sql volatile set search_path = '' as $$
  insert into app.webhook_stats as w (channel_id, provider, status, minute, requests, last_at)
  select coalesce(c.channel_id, '00000000-0000-0000-0000-000000000000'), c.provider, c.status,
    date_trunc('minute', now()), c.requests, c.last_at
  from jsonb_to_recordset(p_counts) as c (provider text, channel_id uuid, status integer, requests integer,
    last_at timestamptz)
  order by 1, 2, 3
  on conflict (channel_id, minute, provider, status) do update
    set requests = w.requests + excluded.requests, last_at = greatest(w.last_at, excluded.last_at)
$$;
grant execute on function app.record_webhook_requests(jsonb) to service_role;

create function app.fold_webhook_stats() returns void
language sql volatile set search_path = '' as $$
  with old as (
    delete from app.webhook_stats w
    where w.minute < date_trunc('minute', now()) - interval '25 hours' and w.minute <> '-infinity'
    returning w.*
  )
  insert into app.webhook_stats as w (channel_id, provider, status, minute, requests, last_at)
  select o.channel_id, o.provider, o.status, '-infinity', sum(o.requests), max(o.last_at)
  from old o group by o.channel_id, o.provider, o.status
  order by 1, 2, 3
  on conflict (channel_id, minute, provider, status) do update
    set requests = w.requests + excluded.requests, last_at = greatest(w.last_at, excluded.last_at)
$$;
grant execute on function app.fold_webhook_stats() to service_role;
