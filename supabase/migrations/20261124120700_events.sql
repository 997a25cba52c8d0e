-- The tenant's append-only log of what happened, for catch-up after a gap and for audit. Rows are written only by
-- the change triggers below, whoever made the change, and each one is also broadcast to its private topic.
create table public.events (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  -- the event names, listed once; SQL, TypeScript and the UI use the same words
  type text not null check (type in (
    'conversation.created', 'conversation.updated', 'conversation.assigned', 'conversation.transferred',
    'conversation.closed', 'conversation.reopened',
    'message.created', 'message.updated', 'message.status_changed', 'message.edited', 'message.deleted',
    'message.reacted',
    'channel.status_changed')),
  conversation_id uuid,
  message_id uuid,
  channel_id uuid,
  -- the member who caused it; null when a provider or the system did
  actor_id uuid,
  -- the changed row as clients see it
  payload jsonb not null,
  -- the writing transaction: with parallel writers ids commit out of order, so catch-up pages by (tx, id)
  tx bigint not null default pg_current_xact_id()::text::bigint,
  created_at timestamptz not null default now()
);
create index events_catch_up_idx on public.events (tenant_id, tx, id);

alter table public.events enable row level security;
grant select on public.events to authenticated;
create policy "Members can read their tenant's events" on public.events
  for select to authenticated using ((select app.is_member(tenant_id)));

-- Appends one event and broadcasts it to one private topic: a single realtime.send per changed row, carrying
-- the small row (never media bytes).
create function app.record_event(
  p_tenant_id uuid, p_type text, p_topic text, p_record jsonb,
  p_conversation_id uuid default null, p_message_id uuid default null, p_channel_id uuid default null
) returns jsonb
language plpgsql volatile set search_path = '' as $$
declare
  v_event public.events;
  v_broadcast jsonb;
begin
  insert into public.events (tenant_id, type, conversation_id, message_id, channel_id, actor_id, payload)
  values (p_tenant_id, p_type, p_conversation_id, p_message_id, p_channel_id, auth.uid(), p_record)
  returning * into v_event;
  v_broadcast := jsonb_build_object(
    'event_id', v_event.id, 'tx', v_event.tx, 'type', p_type, 'tenant_id', p_tenant_id,
    'conversation_id', p_conversation_id, 'message_id', p_message_id, 'channel_id', p_channel_id,
    'record', p_record);
  perform realtime.send(v_broadcast, p_type, p_topic, true);
  return v_broadcast;
end;
$$;

-- Catch-up after a gap: the tenant's events after a (tx, id) position, oldest first. Only events of transactions
-- older than every transaction still running are returned, so a page never skips an event that commits later.
create function public.events_after(
  tenant_id uuid, after_tx bigint default 0, after_id bigint default 0, max_rows integer default 500
) returns setof public.events
language sql stable set search_path = '' as $$
  select e.* from public.events e
  where e.tenant_id = events_after.tenant_id
    and (e.tx, e.id) > (events_after.after_tx, events_after.after_id)
    and e.tx < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
  order by e.tx, e.id
  limit least(greatest(max_rows, 1), 1000)
$$;
grant execute on function public.events_after(uuid, bigint, bigint, integer) to authenticated, service_role;

-- ─── change triggers ───
-- Inbox rows go to `tenant:<id>`; a change of assignee is also a personal notice on `agent:<user id>`.
create function app.conversation_changed() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_type text;
  v_broadcast jsonb;
begin
  v_type := case
    when tg_op = 'INSERT' then 'conversation.created'
    when new.status = 'closed' and old.status <> 'closed' then 'conversation.closed'
    when old.status = 'closed' and new.status <> 'closed' then 'conversation.reopened'
    when new.department_id is distinct from old.department_id then 'conversation.transferred'
    when new.assignee_id is distinct from old.assignee_id then 'conversation.assigned'
    else 'conversation.updated'
  end;
  v_broadcast := app.record_event(new.tenant_id, v_type, 'tenant:' || new.tenant_id, to_jsonb(new),
    p_conversation_id => new.id);
  if new.assignee_id is not null and (tg_op = 'INSERT' or new.assignee_id is distinct from old.assignee_id) then
    perform realtime.send(v_broadcast, v_type, 'agent:' || new.assignee_id, true);
  end if;
  return null;
end;
$$;
create trigger conversation_created after insert on public.conversations
  for each row execute function app.conversation_changed();
create trigger conversation_updated after update on public.conversations
  for each row when (old.* is distinct from new.*) execute function app.conversation_changed();

-- Message rows go to `conversation:<id>`.
create function app.message_changed() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_type text;
begin
  v_type := case
    when tg_op = 'INSERT' then 'message.created'
    when new.deleted_at is not null and old.deleted_at is null then 'message.deleted'
    when new.body is distinct from old.body or new.edited_at is distinct from old.edited_at then 'message.edited'
    when new.reactions is distinct from old.reactions then 'message.reacted'
    when (new.status, new.sent_at, new.delivered_at, new.read_at, new.failed_at, new.error)
      is distinct from (old.status, old.sent_at, old.delivered_at, old.read_at, old.failed_at, old.error)
      then 'message.status_changed'
    else 'message.updated'
  end;
  perform app.record_event(new.tenant_id, v_type, 'conversation:' || new.conversation_id, to_jsonb(new) - 'raw',
    p_conversation_id => new.conversation_id, p_message_id => new.id);
  return null;
end;
$$;
create trigger message_created after insert on public.messages
  for each row execute function app.message_changed();
create trigger message_updated after update on public.messages
  for each row when (old.* is distinct from new.*) execute function app.message_changed();

create function app.channel_changed() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform app.record_event(new.tenant_id, 'channel.status_changed', 'tenant:' || new.tenant_id,
    jsonb_build_object('id', new.id, 'status', new.status, 'status_reason', new.status_reason,
      'status_changed_at', new.status_changed_at),
    p_channel_id => new.id);
  return null;
end;
$$;
create trigger channel_status_changed after update of status, status_reason on public.channels
  for each row when ((old.status, old.status_reason) is distinct from (new.status, new.status_reason))
  execute function app.channel_changed();
