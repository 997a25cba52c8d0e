-- Applies a claimed batch of inbound events in one transaction: each event in its own subtransaction (a bad one
-- fails alone), then the batch's completions and failures. One commit per batch instead of one per event is what
-- lets the processor keep up with bursts. The commit need not wait for the disk: the queue rows leave in the same
-- transaction, so if a crash loses it, the events are simply applied again, idempotently.
create function app.apply_inbound_batch(p_ids bigint[]) returns jsonb
language plpgsql volatile set search_path = '' as $$
declare
  r record;
  v_done bigint[] := '{}';
  v_failures jsonb := '[]';
  v_state text;
  v_message text;
begin
  perform set_config('synchronous_commit', 'off', true);
  for r in
    select q.id, q.payload from app.message_queue q
    where q.id = any(p_ids) and q.kind = 'inbound_event' and q.leased_until is not null
    order by q.id
  loop
    begin
      perform app.apply_inbound_event((r.payload ->> 'channel_id')::uuid, r.payload -> 'event');
      v_done := v_done || r.id;
    exception when others then
      get stacked diagnostics v_state = returned_sqlstate, v_message = message_text;
      v_failures := v_failures || jsonb_build_object('id', r.id, 'error', v_message,
        -- a malformed event or a deleted channel will never apply: straight to dead letters
        'retryable', not (v_state = 'P0001' and v_message in ('invalid_event', 'channel_not_found')));
    end;
  end loop;
  perform app.complete(v_done);
  if jsonb_array_length(v_failures) > 0 then
    perform app.fail(v_failures);
  end if;
  return jsonb_build_object('completed', cardinality(v_done), 'failed', jsonb_array_length(v_failures));
end;
$$;
grant execute on function app.apply_inbound_batch(bigint[]) to service_role;
