-- Agents' sends: the message (pending, its seq) and its outbound job are stored in one transaction, so a send the
-- API acknowledged is never lost; the client's id makes a repeated send return the same message.

alter table public.messages
  -- Cloud API template sends: {name, language, components?}
  add column template jsonb,
  -- set just before each call to the provider, so a retry after an unanswered call knows it may have gone out
  add column send_attempted_at timestamptz,
  add column send_attempts integer not null default 0;

create function public.send_message(
  conversation_id uuid, client_id uuid, body text default null, reply_to_message_id uuid default null,
  media jsonb default null, template jsonb default null
) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := auth.uid();
  v_conversation record;
  v_message public.messages;
  v_type text;
begin
  select c.*, ch.provider into v_conversation
  from public.conversations c join public.channels ch on ch.id = c.channel_id
  where c.id = send_message.conversation_id;
  if not found or not app.is_member(v_conversation.tenant_id) then
    raise exception using errcode = 'PT404', message = 'conversation_not_found',
      detail = 'No conversation with this id is visible to you.';
  end if;
  select * into v_message from public.messages m
  where m.tenant_id = v_conversation.tenant_id and m.client_id = send_message.client_id;
  if found then
    return to_jsonb(v_message) - 'raw';
  end if;
  if v_conversation.assignee_id is not null and v_conversation.assignee_id <> v_uid
     and not app.has_role(v_conversation.tenant_id, 'manager') then
    raise exception using errcode = 'PT403', message = 'not_allowed',
      detail = 'This conversation is assigned to another agent.';
  end if;
  if v_conversation.status = 'closed' then
    raise exception using errcode = 'PT409', message = 'conversation_closed',
      detail = 'Reopen the conversation before replying.';
  end if;
  if nullif(btrim(coalesce(body, '')), '') is null and media is null and template is null then
    raise exception using errcode = 'PT400', message = 'empty_message', detail = 'Write a text, attach a file or pick a template.';
  end if;
  if v_conversation.provider = 'cloud' and template is null
     and coalesce(v_conversation.window_expires_at, '-infinity') < now() then
    raise exception using errcode = 'PT422', message = 'window_closed',
      detail = 'More than 24 hours since the customer last wrote: only a template message can be sent.';
  end if;
  v_type := case
    when template is not null then 'template'
    when media is not null then coalesce(media ->> 'type', 'document')
    else 'text' end;
  if v_type not in ('text', 'image', 'audio', 'video', 'document', 'sticker', 'template') then
    raise exception using errcode = 'PT400', message = 'invalid_media_type', detail = v_type;
  end if;

  insert into public.messages (conversation_id, client_id, direction, type, body, media, template,
    reply_to_message_id, sender_id, status)
  values (send_message.conversation_id, send_message.client_id, 'outbound', v_type,
    coalesce(nullif(btrim(body), ''), media ->> 'caption'), media - 'type', template,
    send_message.reply_to_message_id, v_uid, 'pending')
  on conflict do nothing
  returning * into v_message;
  if not found then
    -- the same client id was stored by a concurrent request a moment ago
    select * into v_message from public.messages m
    where m.tenant_id = v_conversation.tenant_id and m.client_id = send_message.client_id;
    return to_jsonb(v_message) - 'raw';
  end if;

  perform app.enqueue('outbound_message', 'outbound:' || v_message.id, jsonb_build_object('message_id', v_message.id),
    -- one conversation's sends leave in the order they were written
    'outbound:' || v_message.conversation_id, 10, null, v_message.id::text);
  -- Replying to a waiting conversation takes it, as Whaticket users expect.
  if v_conversation.assignee_id is null then
    update public.conversations c set assignee_id = v_uid, status = 'open'
    where c.id = v_message.conversation_id and c.assignee_id is null;
  end if;
  return to_jsonb(v_message) - 'raw';
end;
$$;
grant execute on function public.send_message(uuid, uuid, text, uuid, jsonb, jsonb) to authenticated;

-- A failed message sent again from the console: back to pending with a new job.
create function public.retry_message(message_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_message public.messages;
begin
  select * into v_message from public.messages m where m.id = retry_message.message_id;
  if not found or not app.is_member(v_message.tenant_id) then
    raise exception using errcode = 'PT404', message = 'message_not_found';
  end if;
  if v_message.status <> 'failed' or v_message.direction <> 'outbound' then
    raise exception using errcode = 'PT409', message = 'not_failed', detail = 'Only a failed outbound message can be retried.';
  end if;
  update public.messages m set status = 'pending', failed_at = null, error = null,
    send_attempted_at = null, provider_message_id = null
  where m.id = v_message.id returning * into v_message;
  delete from app.queue_keys k where k.dedupe_key = 'outbound:' || v_message.id;
  perform app.enqueue('outbound_message', 'outbound:' || v_message.id, jsonb_build_object('message_id', v_message.id),
    'outbound:' || v_message.conversation_id, 10, null, v_message.id::text);
  return to_jsonb(v_message) - 'raw';
end;
$$;
grant execute on function public.retry_message(uuid) to authenticated;
