-- The ingest and apply hot paths in PL/pgSQL. A `language sql` function with a `set` clause is never inlined and
-- plans its statements again on every call (PostgreSQL 15 keeps no plan for it between calls): for the
-- single-event webhook that planning cost more than the inserts themselves. PL/pgSQL keeps each statement's plan
-- for the life of the connection. Same contracts as before.

-- p_jobs: [{kind, dedupe_key, payload, ordering_key?, priority?, scheduled_at?, correlation_id?, tenant_id?,
-- channel_id?}]; one result row per job, in the given order. A caller that knows the row's tenant and channel
-- passes them, which spares the owner trigger its lookup.
create or replace function app.enqueue_batch(p_jobs jsonb)
returns table (dedupe_key text, id bigint, inserted boolean)
language plpgsql volatile set search_path = '' as $$
#variable_conflict use_column
declare
  v_new text[];
  v_max_attempts integer := (select s.max_attempts from app.queue_settings s);
  j record;
begin
  -- Keys go into the ledger in key order, so two batches sharing keys never deadlock.
  with k as (
    insert into app.queue_keys as qk (dedupe_key)
    select distinct r.dedupe_key from jsonb_to_recordset(p_jobs) as r (dedupe_key text) order by 1
    on conflict on constraint queue_keys_pkey do nothing
    returning qk.dedupe_key
  )
  select coalesce(array_agg(k.dedupe_key), '{}') into v_new from k;

  for j in
    select r.*, n.ord
    from jsonb_array_elements(p_jobs) with ordinality as n (job, ord)
    cross join lateral jsonb_to_record(n.job) as r (
      kind text, dedupe_key text, payload jsonb, ordering_key text, priority integer, scheduled_at timestamptz,
      correlation_id text, tenant_id uuid, channel_id uuid)
    order by n.ord
  loop
    dedupe_key := j.dedupe_key;
    id := null;
    inserted := j.dedupe_key = any (v_new);
    if inserted then
      -- A key repeated within one batch is stored once, for its first job.
      v_new := array_remove(v_new, j.dedupe_key);
      insert into app.message_queue as q
        (kind, dedupe_key, ordering_key, payload, priority, scheduled_at, max_attempts, correlation_id,
          tenant_id, channel_id)
      values (j.kind, j.dedupe_key, j.ordering_key, j.payload, coalesce(j.priority, 0),
        coalesce(j.scheduled_at, now()), v_max_attempts, j.correlation_id, j.tenant_id, j.channel_id)
      returning q.id into id;
    end if;
    return next;
  end loop;
end;
$$;

-- Taken once per stored message and per receipt.
create or replace function app.lock_provider_message(p_channel_id uuid, p_provider_message_id text) returns void
language plpgsql volatile set search_path = '' as $$
begin
  perform pg_advisory_xact_lock(hashtextextended(p_channel_id::text || '/' || p_provider_message_id, 0));
end;
$$;
