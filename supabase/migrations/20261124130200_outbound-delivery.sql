-- The processor's side of sending: claim the right to call the provider, record what it answered, and recognise
-- our own sends when the provider reports them before (or instead of) the send's response.

-- Called before each provider call. Answers {action: 'skip'} when there is nothing to send (already sent, or
-- linked by a receipt), {action: 'wait'} while an earlier call that got no answer may still surface as an echo or
-- receipt, else {action: 'send', …everything the adapter needs}. Recording the attempt first is what lets a retry
-- after a timeout avoid a second customer-visible message.
create function app.begin_send(p_message_id uuid, p_grace_seconds integer) returns jsonb
language plpgsql volatile set search_path = '' as $$
declare
  v record;
begin
  select m.id, m.type, m.body, m.media, m.template, m.status, m.provider_message_id, m.send_attempted_at,
    m.conversation_id, r.provider_message_id as reply_to_provider_id,
    ct.phone, ct.lid, ct.bsuid, ct.group_jid,
    ch.id as channel_id, ch.provider, ch.external_id, ch.base_url, s.api_key, s.access_token
  into v
  from public.messages m
  join public.conversations c on c.id = m.conversation_id
  join public.contacts ct on ct.id = c.contact_id
  join public.channels ch on ch.id = m.channel_id
  left join app.channel_secrets s on s.channel_id = ch.id
  left join public.messages r on r.id = m.reply_to_message_id
  where m.id = p_message_id
  for update of m;
  if not found or v.provider_message_id is not null or v.status <> 'pending' then
    return jsonb_build_object('action', 'skip');
  end if;
  if v.send_attempted_at > now() - make_interval(secs => p_grace_seconds) then
    return jsonb_build_object('action', 'wait');
  end if;
  update public.messages m set send_attempted_at = now(), send_attempts = m.send_attempts + 1
  where m.id = p_message_id;
  return jsonb_build_object('action', 'send') || to_jsonb(v);
end;
$$;
grant execute on function app.begin_send(uuid, integer) to service_role;

create function app.record_send_success(p_message_id uuid, p_provider_message_id text) returns void
language plpgsql volatile set search_path = '' as $$
begin
  -- setting the provider id applies any receipt that arrived before this answer (message_apply_early_receipts)
  update public.messages m set provider_message_id = p_provider_message_id
  where m.id = p_message_id and m.provider_message_id is null;
  perform app.apply_receipt(p_message_id, 'sent', now(), null);
end;
$$;
grant execute on function app.record_send_success(uuid, text) to service_role;

-- p_sent_maybe: the call got no answer (timeout, connection lost) and may have reached the provider; the next
-- attempt then waits out the grace period before calling again.
create function app.record_send_failure(p_message_id uuid, p_error jsonb, p_permanent boolean, p_sent_maybe boolean)
returns void
language plpgsql volatile set search_path = '' as $$
begin
  if not p_sent_maybe then
    update public.messages m set send_attempted_at = null where m.id = p_message_id;
  end if;
  if p_permanent then
    perform app.apply_receipt(p_message_id, 'failed', now(), p_error);
  else
    update public.messages m set error = p_error where m.id = p_message_id and m.status = 'pending';
  end if;
end;
$$;
grant execute on function app.record_send_failure(uuid, jsonb, boolean, boolean) to service_role;

-- An echo of our own send (Evolution's send.message, or a fromMe upsert) whose provider id we have not recorded
-- yet: the newest attempted, unconfirmed outbound message with the same text to the same contact is that send.
create function app.link_outbound_echo(p_channel_id uuid, p_event jsonb) returns uuid
language plpgsql volatile set search_path = '' as $$
declare
  v_message_id uuid;
begin
  select m.id into v_message_id
  from public.messages m
  join public.conversations c on c.id = m.conversation_id
  join public.contacts ct on ct.id = c.contact_id
  where m.channel_id = p_channel_id and m.direction = 'outbound' and m.provider_message_id is null
    and m.send_attempted_at is not null
    and coalesce(m.body, '') = coalesce(p_event ->> 'body', p_event -> 'media' ->> 'caption', '')
    and (ct.phone = p_event -> 'contact' ->> 'phone' or ct.lid = p_event -> 'contact' ->> 'lid'
      or ct.group_jid = p_event -> 'group' ->> 'id')
  order by m.send_attempted_at desc
  limit 1
  for update of m skip locked;
  if found then
    perform app.record_send_success(v_message_id, p_event ->> 'provider_message_id');
  end if;
  return v_message_id;
end;
$$;
grant execute on function app.link_outbound_echo(uuid, jsonb) to service_role;

-- A Cloud API receipt carries back our message id (biz_opaque_callback_data) even when the send's answer was lost.
create function app.link_outbound_reference(p_channel_id uuid, p_event jsonb) returns void
language sql volatile set search_path = '' as $$
  update public.messages m set provider_message_id = p_event ->> 'provider_message_id'
  where m.id = app.try_uuid(p_event ->> 'client_reference') and m.channel_id = p_channel_id
    and m.direction = 'outbound' and m.provider_message_id is null
$$;
grant execute on function app.link_outbound_reference(uuid, jsonb) to service_role;

-- The dispatcher, now recognising our own sends before treating an echo as a new message.
create or replace function app.apply_inbound_event(p_channel_id uuid, p_event jsonb) returns jsonb
language plpgsql volatile set search_path = '' as $$
declare
  v_tenant_id uuid;
  v_linked uuid;
begin
  select c.tenant_id into v_tenant_id from public.channels c where c.id = p_channel_id;
  if not found then
    raise exception using errcode = 'P0001', message = 'channel_not_found', detail = p_channel_id::text;
  end if;
  case p_event ->> 'type'
    when 'message' then
      if (p_event ->> 'from_me')::boolean and not exists (
        select 1 from public.messages m
        where m.channel_id = p_channel_id and m.provider_message_id = p_event ->> 'provider_message_id') then
        v_linked := app.link_outbound_echo(p_channel_id, p_event);
        if v_linked is not null then
          return jsonb_build_object('outcome', 'linked', 'message_id', v_linked);
        end if;
      end if;
      return app.apply_message_event(p_channel_id, v_tenant_id, p_event);
    when 'status' then
      if p_event ? 'client_reference' then
        perform app.link_outbound_reference(p_channel_id, p_event);
      end if;
      return app.apply_status_event(p_channel_id, p_event);
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
