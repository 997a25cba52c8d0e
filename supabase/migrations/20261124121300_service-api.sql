-- What the edge functions call through PostgREST as service_role. PostgREST serves only `public`, so each app
-- function they need gets a thin wrapper here, executable by service_role alone.

create function public.channel_for_webhook(provider text, channel text)
returns table (
  channel_id uuid, tenant_id uuid, external_id text, status text, webhook_secret text, app_secret text,
  verify_token text
)
language sql stable set search_path = '' as $$
  select c.channel_id, c.tenant_id, c.external_id, c.status, c.webhook_secret, c.app_secret, c.verify_token
  from app.channel_for_webhook(channel_for_webhook.provider, channel_for_webhook.channel) c
$$;
grant execute on function public.channel_for_webhook(text, text) to service_role;

create function public.queue_enqueue(
  kind text, dedupe_key text, payload jsonb, ordering_key text default null, priority integer default 0,
  scheduled_at timestamptz default null, correlation_id text default null
) returns table (id bigint, inserted boolean)
language sql volatile set search_path = '' as $$
  select * from app.enqueue(queue_enqueue.kind, queue_enqueue.dedupe_key, queue_enqueue.payload,
    queue_enqueue.ordering_key, queue_enqueue.priority, queue_enqueue.scheduled_at, queue_enqueue.correlation_id)
$$;
grant execute on function public.queue_enqueue(text, text, jsonb, text, integer, timestamptz, text) to service_role;

create function public.queue_enqueue_batch(jobs jsonb)
returns table (dedupe_key text, id bigint, inserted boolean)
language sql volatile set search_path = '' as $$
  select * from app.enqueue_batch(queue_enqueue_batch.jobs)
$$;
grant execute on function public.queue_enqueue_batch(jsonb) to service_role;

create function public.queue_claim(batch_size integer, lease_seconds integer default 60)
returns table (
  id bigint, kind text, dedupe_key text, ordering_key text, payload jsonb, priority integer, attempts integer,
  max_attempts integer, leased_until timestamptz, correlation_id text, created_at timestamptz
)
language sql volatile set search_path = '' as $$
  select c.id, c.kind, c.dedupe_key, c.ordering_key, c.payload, c.priority, c.attempts, c.max_attempts,
    c.leased_until, c.correlation_id, c.created_at
  from app.claim(queue_claim.batch_size, queue_claim.lease_seconds) c
$$;
grant execute on function public.queue_claim(integer, integer) to service_role;

create function public.queue_complete(ids bigint[]) returns integer
language sql volatile set search_path = '' as $$
  select app.complete(queue_complete.ids)
$$;
grant execute on function public.queue_complete(bigint[]) to service_role;

create function public.queue_fail(failures jsonb)
returns table (id bigint, outcome text, retry_at timestamptz)
language sql volatile set search_path = '' as $$
  select * from app.fail(queue_fail.failures)
$$;
grant execute on function public.queue_fail(jsonb) to service_role;

create function public.queue_retry_dead_letters(ids bigint[]) returns integer
language sql volatile set search_path = '' as $$
  select app.retry_dead_letter(queue_retry_dead_letters.ids)
$$;
grant execute on function public.queue_retry_dead_letters(bigint[]) to service_role;

create function public.queue_discard_dead_letters(ids bigint[], reason text) returns integer
language sql volatile set search_path = '' as $$
  select app.discard_dead_letter(queue_discard_dead_letters.ids, queue_discard_dead_letters.reason)
$$;
grant execute on function public.queue_discard_dead_letters(bigint[], text) to service_role;

create function public.apply_inbound_event(channel_id uuid, event jsonb) returns jsonb
language sql volatile set search_path = '' as $$
  select app.apply_inbound_event(apply_inbound_event.channel_id, apply_inbound_event.event)
$$;
grant execute on function public.apply_inbound_event(uuid, jsonb) to service_role;
