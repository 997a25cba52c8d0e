-- First-response time: from a conversation's first customer message to the first reply an agent wrote (echoes
-- of replies typed on the phone have no sender and do not count). Recorded once per conversation as the reply
-- is stored, so "today's median" reads one day of small rows.
create table app.first_responses (
  conversation_id uuid primary key references public.conversations (id) on delete cascade,
  tenant_id uuid not null,
  customer_at timestamptz not null,
  responded_at timestamptz not null,
  responder_id uuid not null
);
create index first_responses_tenant_idx on app.first_responses (tenant_id, responded_at);
alter table app.first_responses enable row level security;
grant select on app.first_responses to service_role;

create function app.message_first_response() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if exists (select 1 from app.first_responses f where f.conversation_id = new.conversation_id) then
    return null;
  end if;
  insert into app.first_responses (conversation_id, tenant_id, customer_at, responded_at, responder_id)
  select new.conversation_id, new.tenant_id, m.created_at, new.created_at, new.sender_id
  from public.messages m
  where m.conversation_id = new.conversation_id and m.seq < new.seq and m.direction = 'inbound'
  order by m.seq
  limit 1
  on conflict (conversation_id) do nothing;
  return null;
end;
$$;
create trigger message_first_response after insert on public.messages
  for each row when (new.direction = 'outbound' and new.sender_id is not null)
  execute function app.message_first_response();

-- Waiting conversations and each agent's open ones, read by the team cards without scanning closed history.
create index conversations_waiting_idx on public.conversations (tenant_id, created_at)
  where assignee_id is null and status <> 'closed';
create index conversations_open_by_assignee_idx on public.conversations (tenant_id, assignee_id)
  where assignee_id is not null and status <> 'closed';
