-- Claim, complete and fail: all batch operations, so one round trip moves many rows.

-- Exponential backoff with "equal jitter": half the delay is fixed and half random, so retries of rows that
-- failed together spread out while each row's delay still grows attempt after attempt (up to the cap).
create function app.retry_delay(p_attempt integer, p_base interval, p_cap interval, p_jitter double precision)
returns interval
language sql immutable set search_path = '' as $$
  select d / 2 + d / 2 * least(greatest(p_jitter, 0), 1)
  from (select least(p_cap, p_base * power(2, least(greatest(p_attempt, 1) - 1, 30))) as d) s
$$;
grant execute on function app.retry_delay(integer, interval, interval, double precision) to service_role;

-- Records failures of leased rows. p_failures: [{id, error, retryable}] (retryable defaults to true). A row out of
-- attempts, or whose error is not retryable, moves to the dead letters; any other is scheduled again after
-- retry_delay. Rows not currently leased are ignored (a late report from a worker whose lease ran out).
create function app.fail(p_failures jsonb)
returns table (id bigint, outcome text, retry_at timestamptz)
language sql volatile set search_path = '' as $$
  with f as (
    select x.id, coalesce(x.error, 'unknown error') as error, coalesce(x.retryable, true) as retryable
    from jsonb_to_recordset(p_failures) as x (id bigint, error text, retryable boolean)
  ), target as (
    select q.id, f.error, not f.retryable or q.attempts >= q.max_attempts as hopeless,
      jsonb_build_object('at', now(), 'attempt', q.attempts, 'error', f.error) as entry
    from app.message_queue q join f on f.id = q.id
    where q.leased_until is not null
    for update of q
  ), buried as (
    delete from app.message_queue q using target t
    where q.id = t.id and t.hopeless
    returning q.*, t.error as final_error, t.entry
  ), dead_lettered as (
    insert into app.failed_messages (id, kind, dedupe_key, ordering_key, payload, priority, attempts, max_attempts,
      errors, last_error, correlation_id, enqueued_at)
    select b.id, b.kind, b.dedupe_key, b.ordering_key, b.payload, b.priority, b.attempts, b.max_attempts,
      b.errors || b.entry, b.final_error, b.correlation_id, b.created_at
    from buried b
    returning failed_messages.id
  ), retried as (
    update app.message_queue q set
      scheduled_at = now() + app.retry_delay(q.attempts, s.backoff_base, s.backoff_cap, random()),
      leased_until = null,
      last_error = t.error,
      errors = q.errors || t.entry,
      updated_at = now()
    from target t cross join app.queue_settings s
    where q.id = t.id and not t.hopeless
    returning q.id, q.scheduled_at
  )
  select d.id, 'dead_lettered', null::timestamptz from dead_lettered d
  union all
  select r.id, 'retrying', r.scheduled_at from retried r
$$;
grant execute on function app.fail(jsonb) to service_role;

-- Leases up to p_batch_size rows that are due, by priority then age, skipping rows another claimer holds. Of the
-- rows sharing an ordering key only the oldest is ever claimable, and not while it is leased or waiting for a
-- retry: one conversation is applied in arrival order while different conversations run in parallel. A row
-- whose lease ran out is claimable again (its worker is presumed dead).
create function app.claim(p_batch_size integer, p_lease_seconds integer default 60)
returns setof app.message_queue
language plpgsql volatile set search_path = '' as $$
declare
  v_ready bigint[];
  v_exhausted bigint[];
begin
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
$$;
grant execute on function app.claim(integer, integer) to service_role;

-- Finished rows leave the hot table; their keys stay in the ledger.
create function app.complete(p_ids bigint[]) returns integer
language sql volatile set search_path = '' as $$
  with done as (delete from app.message_queue q where q.id = any(p_ids) returning 1)
  select count(*)::integer from done
$$;
grant execute on function app.complete(bigint[]) to service_role;
