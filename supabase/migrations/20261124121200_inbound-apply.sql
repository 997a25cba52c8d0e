-- Applies one unified inbound event (supabase/functions/_shared/inbound.ts) in the caller's transaction. Every
-- path is idempotent, so a redelivered or retried event changes nothing twice. Each answers {outcome, …}:
--   created    a new message was stored
--   duplicate  the message was already stored
--   applied    the change was made
--   stale      nothing to change (an older or repeated receipt, edit, reaction or connection state)
--   kept       a receipt for a message not stored yet, kept until it appears
--   ignored    the message it refers to is not stored here
-- A malformed event raises P0001 invalid_event (retrying cannot help); anything else is worth a retry.

create function app.required_field(p_event jsonb, p_field text) returns text
language plpgsql immutable set search_path = '' as $$
declare
  v_value text := nullif(btrim(p_event ->> p_field), '');
begin
  if v_value is null then
    raise exception using errcode = 'P0001', message = 'invalid_event', detail = format('%s is missing', p_field);
  end if;
  return v_value;
end;
$$;
grant execute on function app.required_field(jsonb, text) to service_role;

create function app.event_time(p_event jsonb) returns timestamptz
language sql stable set search_path = '' as $$
  select coalesce((p_event ->> 'occurred_at')::timestamptz, now())
$$;
grant execute on function app.event_time(jsonb) to service_role;

-- A message: resolve the contact (for groups, the group; the author separately), find or open the conversation,
-- store the message with the next seq. fromMe echoes (sent from the phone or WhatsApp Web) are stored as outbound
-- and sent: they neither count as unread nor renew the customer-service window. Types this model does not know
-- are stored as "unsupported" with the whole event in raw.
create function app.apply_message_event(p_channel_id uuid, p_tenant_id uuid, p_event jsonb) returns jsonb
language plpgsql volatile set search_path = '' as $$
declare
  v_provider_id text := app.required_field(p_event, 'provider_message_id');
  v_from_me boolean := coalesce((p_event ->> 'from_me')::boolean, false);
  v_group jsonb := case when jsonb_typeof(p_event -> 'group') = 'object' then p_event -> 'group' end;
  v_type text := coalesce(p_event ->> 'message_type', 'unsupported');
  v_at timestamptz := app.event_time(p_event);
  v_contact_id uuid;
  v_author_id uuid;
  v_message record;
begin
  select m.id, m.conversation_id, m.seq into v_message
  from public.messages m where m.channel_id = p_channel_id and m.provider_message_id = v_provider_id;
  if found then
    return jsonb_build_object('outcome', 'duplicate', 'message_id', v_message.id,
      'conversation_id', v_message.conversation_id, 'seq', v_message.seq);
  end if;

  if v_group is not null then
    v_contact_id := app.resolve_contact(p_tenant_id,
      jsonb_build_object('group_jid', v_group ->> 'id', 'name', v_group ->> 'name'));
    if not v_from_me and jsonb_typeof(p_event -> 'author') = 'object' then
      v_author_id := app.resolve_contact(p_tenant_id, p_event -> 'author');
    end if;
  else
    -- an echo's push name is the business's own, not the customer's
    v_contact_id := app.resolve_contact(p_tenant_id,
      case when v_from_me then (p_event -> 'contact') - 'name' else p_event -> 'contact' end);
  end if;
  if v_type not in ('text', 'image', 'audio', 'video', 'document', 'sticker', 'location', 'contacts',
                    'interactive', 'unsupported') then
    v_type := 'unsupported';
  end if;

  insert into public.messages (conversation_id, direction, type, body, media, location, reply_to_message_id,
    reply_to_provider_id, author_contact_id, author_name, sender_id, status, sent_at, delivered_at,
    provider_message_id, raw, occurred_at)
  values (
    app.open_conversation(p_channel_id, v_contact_id),
    case when v_from_me then 'outbound' else 'inbound' end,
    v_type,
    coalesce(p_event ->> 'body', p_event -> 'media' ->> 'caption'),
    nullif(p_event -> 'media', 'null'),
    nullif(p_event -> 'location', 'null'),
    (select r.id from public.messages r
     where r.channel_id = p_channel_id and r.provider_message_id = p_event ->> 'reply_to_provider_id'),
    p_event ->> 'reply_to_provider_id',
    v_author_id,
    case when v_author_id is not null then p_event -> 'author' ->> 'name' end,
    null,
    case when v_from_me then 'sent' else 'delivered' end,
    v_at,
    case when not v_from_me then v_at end,
    v_provider_id,
    case when v_type = 'unsupported' then p_event end,
    v_at)
  returning id, conversation_id, seq into v_message;
  if not found then
    -- a concurrent apply stored it first; the insert trigger skipped ours
    select m.id, m.conversation_id, m.seq into v_message
    from public.messages m where m.channel_id = p_channel_id and m.provider_message_id = v_provider_id;
    return jsonb_build_object('outcome', 'duplicate', 'message_id', v_message.id,
      'conversation_id', v_message.conversation_id, 'seq', v_message.seq);
  end if;
  return jsonb_build_object('outcome', 'created', 'message_id', v_message.id,
    'conversation_id', v_message.conversation_id, 'contact_id', v_contact_id, 'seq', v_message.seq);
end;
$$;
grant execute on function app.apply_message_event(uuid, uuid, jsonb) to service_role;

-- A delivery receipt: applied through the forward-only rule, or kept until its message appears.
create function app.apply_status_event(p_channel_id uuid, p_event jsonb) returns jsonb
language plpgsql volatile set search_path = '' as $$
declare
  v_provider_id text := app.required_field(p_event, 'provider_message_id');
  v_status text := app.required_field(p_event, 'status');
  v_at timestamptz := app.event_time(p_event);
  v_error jsonb := nullif(p_event -> 'error', 'null');
  v_message_id uuid;
begin
  if v_status not in ('sent', 'delivered', 'read', 'failed') then
    raise exception using errcode = 'P0001', message = 'invalid_event', detail = format('unknown status %s', v_status);
  end if;
  perform app.lock_provider_message(p_channel_id, v_provider_id);
  select m.id into v_message_id
  from public.messages m where m.channel_id = p_channel_id and m.provider_message_id = v_provider_id;
  if not found then
    insert into app.early_receipts (channel_id, provider_message_id, status, occurred_at, error)
    values (p_channel_id, v_provider_id, v_status, v_at, v_error)
    on conflict do nothing;
    return jsonb_build_object('outcome', 'kept');
  end if;
  return jsonb_build_object(
    'outcome', case when app.apply_receipt(v_message_id, v_status, v_at, v_error) then 'applied' else 'stale' end,
    'message_id', v_message_id);
end;
$$;
grant execute on function app.apply_status_event(uuid, jsonb) to service_role;

-- A reaction is set on the message it points at, one per reactor; an empty emoji takes it back. It is not a
-- message: no seq, no unread, no new conversation.
create function app.apply_reaction_event(p_channel_id uuid, p_tenant_id uuid, p_event jsonb) returns jsonb
language plpgsql volatile set search_path = '' as $$
declare
  v_target text := app.required_field(p_event, 'target_provider_id');
  v_emoji text := coalesce(p_event ->> 'emoji', '');
  v_message_id uuid;
  v_reactor text;
begin
  select m.id into v_message_id
  from public.messages m where m.channel_id = p_channel_id and m.provider_message_id = v_target
  for update;
  if not found then
    return jsonb_build_object('outcome', 'ignored', 'reason', 'target_not_found');
  end if;
  v_reactor := case when coalesce((p_event ->> 'from_me')::boolean, false) then 'business'
    else app.resolve_contact(p_tenant_id, p_event -> 'contact')::text end;
  update public.messages m
  set reactions = case when v_emoji = '' then m.reactions - v_reactor
                       else m.reactions || jsonb_build_object(v_reactor, v_emoji) end
  where m.id = v_message_id and m.reactions -> v_reactor is distinct from to_jsonb(nullif(v_emoji, ''));
  return jsonb_build_object('outcome', case when found then 'applied' else 'stale' end, 'message_id', v_message_id);
end;
$$;
grant execute on function app.apply_reaction_event(uuid, uuid, jsonb) to service_role;

-- An edit replaces the body of its original, unless a later edit got there first or the message was deleted.
create function app.apply_edit_event(p_channel_id uuid, p_event jsonb) returns jsonb
language plpgsql volatile set search_path = '' as $$
declare
  v_target text := app.required_field(p_event, 'target_provider_id');
  v_body text := app.required_field(p_event, 'body');
  v_at timestamptz := app.event_time(p_event);
  v_message_id uuid;
begin
  select m.id into v_message_id
  from public.messages m where m.channel_id = p_channel_id and m.provider_message_id = v_target
  for update;
  if not found then
    return jsonb_build_object('outcome', 'ignored', 'reason', 'target_not_found');
  end if;
  update public.messages m set body = v_body, edited_at = v_at
  where m.id = v_message_id and m.deleted_at is null and (m.edited_at is null or m.edited_at < v_at)
    and m.body is distinct from v_body;
  return jsonb_build_object('outcome', case when found then 'applied' else 'stale' end, 'message_id', v_message_id);
end;
$$;
grant execute on function app.apply_edit_event(uuid, jsonb) to service_role;

-- A delete ("delete for everyone") marks its original; agents still see that something was there.
create function app.apply_delete_event(p_channel_id uuid, p_event jsonb) returns jsonb
language plpgsql volatile set search_path = '' as $$
declare
  v_target text := app.required_field(p_event, 'target_provider_id');
  v_message_id uuid;
begin
  select m.id into v_message_id
  from public.messages m where m.channel_id = p_channel_id and m.provider_message_id = v_target
  for update;
  if not found then
    return jsonb_build_object('outcome', 'ignored', 'reason', 'target_not_found');
  end if;
  update public.messages m set deleted_at = app.event_time(p_event)
  where m.id = v_message_id and m.deleted_at is null;
  return jsonb_build_object('outcome', case when found then 'applied' else 'stale' end, 'message_id', v_message_id);
end;
$$;
grant execute on function app.apply_delete_event(uuid, jsonb) to service_role;

-- Evolution's connection.update becomes the channel's status; an older report never overwrites a newer one.
create function app.apply_connection_event(p_channel_id uuid, p_event jsonb) returns jsonb
language plpgsql volatile set search_path = '' as $$
declare
  v_state text := app.required_field(p_event, 'state');
  v_reason text := p_event ->> 'status_reason';
  v_at timestamptz := app.event_time(p_event);
begin
  if v_state not in ('open', 'connecting', 'close') then
    raise exception using errcode = 'P0001', message = 'invalid_event', detail = format('unknown state %s', v_state);
  end if;
  update public.channels c set status = v_state, status_reason = v_reason, status_changed_at = v_at
  where c.id = p_channel_id and (c.status_changed_at is null or c.status_changed_at <= v_at)
    and (c.status, c.status_reason) is distinct from (v_state, v_reason);
  return jsonb_build_object('outcome', case when found then 'applied' else 'stale' end);
end;
$$;
grant execute on function app.apply_connection_event(uuid, jsonb) to service_role;

create function app.apply_inbound_event(p_channel_id uuid, p_event jsonb) returns jsonb
language plpgsql volatile set search_path = '' as $$
declare
  v_tenant_id uuid;
begin
  select c.tenant_id into v_tenant_id from public.channels c where c.id = p_channel_id;
  if not found then
    raise exception using errcode = 'P0001', message = 'channel_not_found', detail = p_channel_id::text;
  end if;
  case p_event ->> 'type'
    when 'message' then return app.apply_message_event(p_channel_id, v_tenant_id, p_event);
    when 'status' then return app.apply_status_event(p_channel_id, p_event);
    when 'reaction' then return app.apply_reaction_event(p_channel_id, v_tenant_id, p_event);
    when 'edit' then return app.apply_edit_event(p_channel_id, p_event);
    when 'delete' then return app.apply_delete_event(p_channel_id, p_event);
    when 'connection' then return app.apply_connection_event(p_channel_id, p_event);
    else
      raise exception using errcode = 'P0001', message = 'invalid_event',
        detail = format('unknown event type %s', p_event ->> 'type');
  end case;
end;
$$;
grant execute on function app.apply_inbound_event(uuid, jsonb) to service_role;
