-- Admins run their team: list members with their sign-in emails, add a user (the members function creates the
-- account first), change a role, name or departments, remove someone. A tenant never loses its last admin.

create function app.set_member_departments(p_tenant_id uuid, p_user_id uuid, p_department_ids uuid[]) returns void
language plpgsql volatile set search_path = '' as $$
declare
  v_unknown uuid;
begin
  select d into v_unknown from unnest(p_department_ids) d
  where not exists (select 1 from public.departments x where x.id = d and x.tenant_id = p_tenant_id)
  limit 1;
  if v_unknown is not null then
    raise exception using errcode = 'PT422', message = 'department_not_found', detail = v_unknown::text;
  end if;
  delete from public.department_members dm
  where dm.tenant_id = p_tenant_id and dm.user_id = p_user_id and dm.department_id <> all(p_department_ids);
  insert into public.department_members (department_id, tenant_id, user_id)
  select distinct d, p_tenant_id, p_user_id from unnest(p_department_ids) d
  on conflict do nothing;
end;
$$;

create function app.member_json(p_tenant_id uuid, p_user_id uuid) returns jsonb
language sql stable set search_path = '' as $$
  select jsonb_build_object('tenant_id', m.tenant_id, 'user_id', m.user_id, 'role', m.role,
    'display_name', m.display_name, 'email', u.email, 'created_at', m.created_at,
    'department_ids', coalesce((select jsonb_agg(dm.department_id order by dm.department_id)
      from public.department_members dm where dm.tenant_id = m.tenant_id and dm.user_id = m.user_id), '[]'))
  from public.members m left join auth.users u on u.id = m.user_id
  where m.tenant_id = p_tenant_id and m.user_id = p_user_id
$$;

create function public.tenant_members(tenant_id uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
begin
  perform app.require_admin(tenant_members.tenant_id);
  return (select coalesce(jsonb_agg(app.member_json(m.tenant_id, m.user_id) order by m.display_name), '[]')
          from public.members m where m.tenant_id = tenant_members.tenant_id);
end;
$$;
grant execute on function public.tenant_members(uuid) to authenticated;

create function public.add_member(
  tenant_id uuid, user_id uuid, role text, display_name text, department_ids uuid[] default '{}'
) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_member jsonb;
begin
  perform app.require_admin(add_member.tenant_id);
  if role not in ('agent', 'manager', 'admin') then
    raise exception using errcode = 'PT400', message = 'invalid_role', detail = 'agent, manager or admin';
  end if;
  if not exists (select 1 from auth.users u where u.id = add_member.user_id) then
    raise exception using errcode = 'PT422', message = 'user_not_found', detail = add_member.user_id::text;
  end if;
  begin
    insert into public.members (tenant_id, user_id, role, display_name)
    values (add_member.tenant_id, add_member.user_id, role, btrim(display_name));
  exception
    when unique_violation then
      raise exception using errcode = 'PT409', message = 'already_a_member', detail = add_member.user_id::text;
    when check_violation then
      raise exception using errcode = 'PT400', message = 'invalid_display_name', detail = '1–200 characters';
  end;
  perform app.set_member_departments(add_member.tenant_id, add_member.user_id, coalesce(department_ids, '{}'));
  v_member := app.member_json(add_member.tenant_id, add_member.user_id);
  perform app.record_event(add_member.tenant_id, 'member.added', 'tenant:' || add_member.tenant_id, v_member - 'email');
  return v_member;
end;
$$;
grant execute on function public.add_member(uuid, uuid, text, text, uuid[]) to authenticated;

create function app.require_another_admin(p_tenant_id uuid, p_user_id uuid) returns void
language plpgsql stable set search_path = '' as $$
begin
  if not exists (select 1 from public.members m
                 where m.tenant_id = p_tenant_id and m.role = 'admin' and m.user_id <> p_user_id) then
    raise exception using errcode = 'PT409', message = 'last_admin',
      detail = 'Make someone else an admin first: a tenant always keeps one.';
  end if;
end;
$$;

-- Null arguments leave that part as it is; department_ids replaces the member's departments.
create function public.update_member(
  tenant_id uuid, user_id uuid, role text default null, display_name text default null,
  department_ids uuid[] default null
) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_current public.members;
  v_member jsonb;
begin
  perform app.require_admin(update_member.tenant_id);
  select * into v_current from public.members m
  where m.tenant_id = update_member.tenant_id and m.user_id = update_member.user_id
  for update;
  if not found then
    raise exception using errcode = 'PT404', message = 'member_not_found', detail = update_member.user_id::text;
  end if;
  if role is not null and role not in ('agent', 'manager', 'admin') then
    raise exception using errcode = 'PT400', message = 'invalid_role', detail = 'agent, manager or admin';
  end if;
  if v_current.role = 'admin' and role is not null and role <> 'admin' then
    perform app.require_another_admin(update_member.tenant_id, update_member.user_id);
  end if;
  begin
    update public.members m set role = coalesce(update_member.role, m.role),
      display_name = coalesce(btrim(update_member.display_name), m.display_name)
    where m.tenant_id = update_member.tenant_id and m.user_id = update_member.user_id;
  exception when check_violation then
    raise exception using errcode = 'PT400', message = 'invalid_display_name', detail = '1–200 characters';
  end;
  if department_ids is not null then
    perform app.set_member_departments(update_member.tenant_id, update_member.user_id, department_ids);
  end if;
  v_member := app.member_json(update_member.tenant_id, update_member.user_id);
  perform app.record_event(update_member.tenant_id, 'member.updated', 'tenant:' || update_member.tenant_id,
    v_member - 'email');
  return v_member;
end;
$$;
grant execute on function public.update_member(uuid, uuid, text, text, uuid[]) to authenticated;

-- Their conversations go back to the queue (the assignee foreign key sets them unassigned).
create function public.remove_member(tenant_id uuid, user_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_member jsonb;
begin
  perform app.require_admin(remove_member.tenant_id);
  v_member := app.member_json(remove_member.tenant_id, remove_member.user_id);
  if v_member is null then
    raise exception using errcode = 'PT404', message = 'member_not_found', detail = remove_member.user_id::text;
  end if;
  if v_member ->> 'role' = 'admin' then
    perform app.require_another_admin(remove_member.tenant_id, remove_member.user_id);
  end if;
  delete from public.members m where m.tenant_id = remove_member.tenant_id and m.user_id = remove_member.user_id;
  perform app.record_event(remove_member.tenant_id, 'member.removed', 'tenant:' || remove_member.tenant_id,
    v_member - 'email');
  return v_member;
end;
$$;
grant execute on function public.remove_member(uuid, uuid) to authenticated;
