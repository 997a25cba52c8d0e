-- The managers' dead-letter view: list with filters, then retry or discard, each action in the tenant's event log
-- and on its topic so every open console updates. Only managers and admins of the tenant get past the checks.

-- Payloads are shown with every value under a secret-looking key replaced, at any depth.
create function app.redact(p_value jsonb) returns jsonb
language sql immutable set search_path = '' as $$
  select case jsonb_typeof(p_value)
    when 'object' then (
      select coalesce(jsonb_object_agg(e.key, case
        when e.key ~* 'secret|token|apikey|api_key|password|authorization|signature' and e.value <> 'null'
          then '"[redacted]"'::jsonb
        else app.redact(e.value) end), '{}'::jsonb)
      from jsonb_each(p_value) e)
    when 'array' then (
      select coalesce(jsonb_agg(app.redact(a.value) order by a.n), '[]'::jsonb)
      from jsonb_array_elements(p_value) with ordinality a (value, n))
    else p_value end
$$;

create function app.require_manager(p_tenant_id uuid) returns void
language plpgsql stable set search_path = '' as $$
begin
  if not app.has_role(p_tenant_id, 'manager') then
    raise exception using errcode = 'PT403', message = 'not_allowed',
      detail = 'Only managers and admins of this tenant handle its dead letters.';
  end if;
end;
$$;

-- state: active (awaiting a decision), discarded, or all. Newest failures first; page with the last row's
-- (failed_at, id) as before_failed_at / before_id. Answers a JSON array of dead letters.
create function public.dead_letters(
  tenant_id uuid, channel_id uuid default null, kind text default null, error text default null,
  state text default 'active', before_failed_at timestamptz default null, before_id bigint default null,
  max_rows integer default 50
) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
begin
  perform app.require_manager(dead_letters.tenant_id);
  if state not in ('active', 'discarded', 'all') then
    raise exception using errcode = 'PT400', message = 'invalid_state', detail = 'active, discarded or all';
  end if;
  return (
    select coalesce(jsonb_agg(jsonb_build_object(
        'id', d.id, 'kind', d.kind, 'channel_id', d.channel_id, 'channel_name', c.name,
        'message_id', app.try_uuid(d.payload ->> 'message_id'),
        'provider_message_id', d.payload -> 'event' ->> 'provider_message_id',
        'attempts', d.attempts, 'max_attempts', d.max_attempts, 'last_error', d.last_error, 'errors', d.errors,
        'payload', app.redact(d.payload), 'correlation_id', d.correlation_id, 'enqueued_at', d.enqueued_at,
        'failed_at', d.failed_at, 'discarded_at', d.discarded_at, 'discard_reason', d.discard_reason)
      order by d.failed_at desc, d.id desc), '[]')
    from (
      select f.* from app.failed_messages f
      where f.tenant_id = dead_letters.tenant_id
        and (dead_letters.state = 'all' or (f.discarded_at is null) = (dead_letters.state = 'active'))
        and (dead_letters.channel_id is null or f.channel_id = dead_letters.channel_id)
        and (dead_letters.kind is null or f.kind = dead_letters.kind)
        and (dead_letters.error is null or f.last_error ilike '%' || dead_letters.error || '%')
        and (dead_letters.before_failed_at is null or (f.failed_at, f.id)
          < (dead_letters.before_failed_at, coalesce(dead_letters.before_id, 9223372036854775807)))
      order by f.failed_at desc, f.id desc
      limit least(greatest(max_rows, 1), 500)
    ) d
    left join public.channels c on c.id = d.channel_id);
end;
$$;
grant execute on function public.dead_letters(uuid, uuid, text, text, text, timestamptz, bigint, integer)
  to authenticated;

-- Sends the tenant's chosen dead letters back through the queue. An outbound one whose message was marked failed
-- goes back to pending first (as an agent's retry does), or its job would find nothing to send. Ids of other
-- tenants, discarded ones and unknown ones are skipped; the answer is how many went back.
create function public.retry_dead_letters(tenant_id uuid, ids bigint[]) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_ids bigint[];
  v_count integer;
begin
  perform app.require_manager(retry_dead_letters.tenant_id);
  select coalesce(array_agg(f.id order by f.id), '{}') into v_ids
  from (
    select f.id from app.failed_messages f
    where f.id = any(retry_dead_letters.ids) and f.tenant_id = retry_dead_letters.tenant_id
      and f.discarded_at is null
    order by f.id
    for update
  ) f;
  update public.messages m set status = 'pending', failed_at = null, error = null, send_attempted_at = null,
    provider_message_id = null
  from app.failed_messages f
  where f.id = any(v_ids) and f.kind = 'outbound_message' and m.id = app.try_uuid(f.payload ->> 'message_id')
    and m.status = 'failed';
  v_count := app.retry_dead_letter(v_ids);
  if v_count > 0 then
    perform app.record_event(retry_dead_letters.tenant_id, 'dead_letter.retried',
      'tenant:' || retry_dead_letters.tenant_id, jsonb_build_object('ids', to_jsonb(v_ids), 'count', v_count));
  end if;
  return v_count;
end;
$$;
grant execute on function public.retry_dead_letters(uuid, bigint[]) to authenticated;

create function public.discard_dead_letters(tenant_id uuid, ids bigint[], reason text) returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_ids bigint[];
  v_reason text := nullif(btrim(coalesce(reason, '')), '');
  v_count integer;
begin
  perform app.require_manager(discard_dead_letters.tenant_id);
  if v_reason is null or length(v_reason) > 500 then
    raise exception using errcode = 'PT400', message = 'reason_required',
      detail = 'Say in up to 500 characters why these dead letters are discarded.';
  end if;
  select coalesce(array_agg(f.id order by f.id), '{}') into v_ids
  from app.failed_messages f
  where f.id = any(discard_dead_letters.ids) and f.tenant_id = discard_dead_letters.tenant_id
    and f.discarded_at is null;
  v_count := app.discard_dead_letter(v_ids, v_reason);
  if v_count > 0 then
    perform app.record_event(discard_dead_letters.tenant_id, 'dead_letter.discarded',
      'tenant:' || discard_dead_letters.tenant_id,
      jsonb_build_object('ids', to_jsonb(v_ids), 'count', v_count, 'reason', v_reason));
  end if;
  return v_count;
end;
$$;
grant execute on function public.discard_dead_letters(uuid, bigint[], text) to authenticated;
