-- What an operator can do with a dead letter: send it back through the queue, or set it aside with a reason.

-- Retried rows go back under their original id (ahead of newer rows of the same conversation) with fresh
-- attempts and their error history. Discarded dead letters cannot be retried.
create function app.retry_dead_letter(p_ids bigint[]) returns integer
language sql volatile set search_path = '' as $$
  with revived as (
    delete from app.failed_messages f
    where f.id = any(p_ids) and f.discarded_at is null
    returning f.*
  ), requeued as (
    insert into app.message_queue (id, kind, dedupe_key, ordering_key, payload, priority, scheduled_at, attempts,
      max_attempts, last_error, errors, correlation_id, created_at)
    select r.id, r.kind, r.dedupe_key, r.ordering_key, r.payload, r.priority, now(), 0, r.max_attempts,
      r.last_error, r.errors, r.correlation_id, r.enqueued_at
    from revived r
    returning 1
  )
  select count(*)::integer from requeued
$$;
grant execute on function app.retry_dead_letter(bigint[]) to service_role;

-- Discarded dead letters stay, with the reason given, for audit.
create function app.discard_dead_letter(p_ids bigint[], p_reason text) returns integer
language sql volatile set search_path = '' as $$
  with discarded as (
    update app.failed_messages f set discarded_at = now(), discard_reason = p_reason
    where f.id = any(p_ids) and f.discarded_at is null
    returning 1
  )
  select count(*)::integer from discarded
$$;
grant execute on function app.discard_dead_letter(bigint[], text) to service_role;
