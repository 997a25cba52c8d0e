-- A conversation is one stretch of talk with a contact on a channel. At most one is open (open or pending) per
-- contact and channel; a closed one stays closed and the next message opens a new one.
create table public.conversations (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  channel_id uuid not null,
  contact_id uuid not null,
  -- pending: waiting for an agent; open: an agent is on it; closed: done
  status text not null default 'pending' check (status in ('open', 'pending', 'closed')),
  assignee_id uuid,
  department_id uuid,
  -- the seq of its newest message; messages take last_seq + 1 under this row's lock
  last_seq integer not null default 0,
  unread_count integer not null default 0 check (unread_count >= 0),
  last_message_preview text,
  last_message_type text,
  last_message_direction text,
  last_message_at timestamptz,
  -- end of WhatsApp's 24 h customer-service window, renewed by each customer message
  window_expires_at timestamptz,
  closed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, tenant_id),
  foreign key (channel_id, tenant_id) references public.channels (id, tenant_id) on delete cascade,
  foreign key (contact_id, tenant_id) references public.contacts (id, tenant_id) on delete cascade,
  foreign key (tenant_id, assignee_id) references public.members (tenant_id, user_id) on delete set null (assignee_id),
  foreign key (department_id, tenant_id) references public.departments (id, tenant_id)
    on delete set null (department_id)
);
create unique index conversations_one_open_per_contact_idx on public.conversations (channel_id, contact_id)
  where status <> 'closed';
create index conversations_inbox_idx on public.conversations (tenant_id, last_message_at desc);
create index conversations_contact_idx on public.conversations (contact_id, created_at desc);

-- Keeps updated_at and closed_at true whoever changes the row; an update that changes nothing stays a no-op
-- (and so logs and broadcasts nothing).
create function app.conversation_before_update() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new is not distinct from old then
    return new;
  end if;
  new.updated_at := now();
  if new.status = 'closed' and old.status <> 'closed' then
    new.closed_at := now();
  elsif new.status <> 'closed' then
    new.closed_at := null;
  end if;
  return new;
end;
$$;
create trigger conversation_before_update before update on public.conversations
  for each row execute function app.conversation_before_update();

alter table public.conversations enable row level security;
grant select,
  insert (tenant_id, channel_id, contact_id, status, assignee_id, department_id),
  update (status, assignee_id, department_id, unread_count)
  on public.conversations to authenticated;
create policy "Members can read their tenant's conversations" on public.conversations
  for select to authenticated using ((select app.is_member(tenant_id)));
create policy "Members can start conversations for themselves or the queue" on public.conversations
  for insert to authenticated
  with check ((select app.is_member(tenant_id)) and (assignee_id is null or assignee_id = (select auth.uid())));
create policy "Managers can start conversations for anyone" on public.conversations
  for insert to authenticated with check ((select app.has_role(tenant_id, 'manager')));
-- An agent works on conversations that are theirs or nobody's yet, and may hand them to a colleague.
create policy "Agents can update their own and unassigned conversations" on public.conversations
  for update to authenticated
  using ((select app.is_member(tenant_id)) and (assignee_id is null or assignee_id = (select auth.uid())))
  with check ((select app.is_member(tenant_id)));
create policy "Managers can update any conversation of their tenant" on public.conversations
  for update to authenticated
  using ((select app.has_role(tenant_id, 'manager'))) with check ((select app.has_role(tenant_id, 'manager')));

-- Finds the contact's open conversation on the channel and locks it, or opens a new one. The partial unique
-- index arbitrates between concurrent openers; the loser finds the winner's row on the next pass.
create function app.open_conversation(p_channel_id uuid, p_contact_id uuid) returns uuid
language plpgsql volatile set search_path = '' as $$
declare
  v_id uuid;
begin
  for attempt in 1..3 loop
    select c.id into v_id
    from public.conversations c
    where c.channel_id = p_channel_id and c.contact_id = p_contact_id and c.status <> 'closed'
    for update;
    if found then
      return v_id;
    end if;
    insert into public.conversations (tenant_id, channel_id, contact_id, department_id)
    select ch.tenant_id, ch.id, p_contact_id, ch.default_department_id
    from public.channels ch where ch.id = p_channel_id
    on conflict (channel_id, contact_id) where status <> 'closed' do nothing
    returning id into v_id;
    if v_id is not null then
      return v_id;
    end if;
  end loop;
  raise exception using errcode = 'P0001', message = 'conversation_conflict',
    detail = 'the open conversation kept changing; retry';
end;
$$;
grant execute on function app.open_conversation(uuid, uuid) to service_role;
