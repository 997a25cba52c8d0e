-- Agents' commands on conversations: take, transfer, close, reopen, move on the kanban, mark read. Each is one
-- atomic statement with a stable error code, so two agents acting at once end with one winner and a clear answer
-- for the other. The change triggers record and broadcast every effect.

alter table public.conversations
  add column transfer_note text check (length(transfer_note) <= 1000),
  add column transferred_by uuid;

-- Who may act on a conversation: a manager always; an agent on what is theirs or nobody's.
create function app.conversation_for_command(p_conversation_id uuid) returns public.conversations
language plpgsql stable set search_path = '' as $$
declare
  v public.conversations;
begin
  select * into v from public.conversations c where c.id = p_conversation_id;
  if not found or not app.is_member(v.tenant_id) then
    raise exception using errcode = 'PT404', message = 'conversation_not_found',
      detail = 'No conversation with this id is visible to you.';
  end if;
  if v.assignee_id is not null and v.assignee_id <> auth.uid() and not app.has_role(v.tenant_id, 'manager') then
    raise exception using errcode = 'PT409', message = 'already_assigned',
      detail = jsonb_build_object('assignee_id', v.assignee_id)::text;
  end if;
  return v;
end;
$$;

create function public.assign_conversation(conversation_id uuid, assignee_id uuid default null)
returns public.conversations
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_target uuid := coalesce(assignee_id, auth.uid());
  v public.conversations;
begin
  v := app.conversation_for_command(conversation_id);
  if v_target <> auth.uid() and not app.has_role(v.tenant_id, 'manager') then
    raise exception using errcode = 'PT403', message = 'not_allowed', detail = 'Only managers assign to others; transfer instead.';
  end if;
  if not exists (select 1 from public.members m where m.tenant_id = v.tenant_id and m.user_id = v_target) then
    raise exception using errcode = 'PT422', message = 'not_a_member', detail = v_target::text;
  end if;
  -- The row lock decides a race: the loser's update finds the conversation already taken.
  update public.conversations c set assignee_id = v_target, status = case when c.status = 'pending' then 'open' else c.status end
  where c.id = v.id and (c.assignee_id is null or c.assignee_id = v_target or app.has_role(c.tenant_id, 'manager'))
  returning * into v;
  if not found then
    select * into v from public.conversations c where c.id = conversation_id;
    raise exception using errcode = 'PT409', message = 'already_assigned',
      detail = jsonb_build_object('assignee_id', v.assignee_id)::text;
  end if;
  return v;
end;
$$;

create function public.transfer_conversation(
  conversation_id uuid, assignee_id uuid default null, department_id uuid default null, note text default null
) returns public.conversations
language plpgsql volatile security definer set search_path = '' as $$
declare
  v public.conversations;
begin
  v := app.conversation_for_command(conversation_id);
  if assignee_id is null and department_id is null then
    raise exception using errcode = 'PT400', message = 'no_destination', detail = 'Pick an agent or a department.';
  end if;
  if assignee_id is not null
     and not exists (select 1 from public.members m where m.tenant_id = v.tenant_id and m.user_id = assignee_id) then
    raise exception using errcode = 'PT422', message = 'not_a_member', detail = assignee_id::text;
  end if;
  if department_id is not null
     and not exists (select 1 from public.departments d where d.tenant_id = v.tenant_id and d.id = department_id) then
    raise exception using errcode = 'PT422', message = 'department_not_found', detail = department_id::text;
  end if;
  update public.conversations c set
    assignee_id = transfer_conversation.assignee_id,
    department_id = coalesce(transfer_conversation.department_id, c.department_id),
    status = case when c.status = 'closed' then 'closed'
                  when transfer_conversation.assignee_id is null then 'pending' else 'open' end,
    transfer_note = nullif(btrim(note), ''),
    transferred_by = auth.uid()
  where c.id = v.id and c.updated_at = v.updated_at
  returning * into v;
  if not found then
    raise exception using errcode = 'PT409', message = 'conversation_changed', detail = 'Someone changed it meanwhile; try again.';
  end if;
  return v;
end;
$$;

-- Kanban moves and close/reopen. Reopening fails when the customer has since started a new conversation.
create function public.set_conversation_status(conversation_id uuid, status text) returns public.conversations
language plpgsql volatile security definer set search_path = '' as $$
declare
  v public.conversations;
begin
  if status not in ('open', 'pending', 'closed') then
    raise exception using errcode = 'PT400', message = 'invalid_status', detail = status;
  end if;
  v := app.conversation_for_command(conversation_id);
  begin
    update public.conversations c set status = set_conversation_status.status,
      assignee_id = case when set_conversation_status.status = 'open' then coalesce(c.assignee_id, auth.uid())
                         else c.assignee_id end
    where c.id = v.id
    returning * into v;
  exception when unique_violation then
    raise exception using errcode = 'PT409', message = 'another_conversation_open',
      detail = 'This contact already has an open conversation on this channel.';
  end;
  return v;
end;
$$;

create function public.mark_conversation_read(conversation_id uuid) returns public.conversations
language plpgsql volatile security definer set search_path = '' as $$
declare
  v public.conversations;
begin
  select * into v from public.conversations c where c.id = conversation_id;
  if not found or not app.is_member(v.tenant_id) then
    raise exception using errcode = 'PT404', message = 'conversation_not_found';
  end if;
  if v.unread_count <> 0 then
    update public.conversations c set unread_count = 0 where c.id = v.id returning * into v;
  end if;
  return v;
end;
$$;

grant execute on function public.assign_conversation(uuid, uuid), public.transfer_conversation(uuid, uuid, uuid, text),
  public.set_conversation_status(uuid, text), public.mark_conversation_read(uuid) to authenticated;
