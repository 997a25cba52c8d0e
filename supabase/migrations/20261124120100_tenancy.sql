-- Tenants and who belongs to them. Every exposed row carries a tenant_id, and every policy reads as a sentence
-- through two predicates: app.is_member(tenant_id) and app.has_role(tenant_id, role).
create table public.tenants (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(btrim(name)) between 1 and 200),
  created_at timestamptz not null default now()
);

create table public.members (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role text not null default 'agent' check (role in ('agent', 'manager', 'admin')),
  display_name text not null check (length(btrim(display_name)) between 1 and 200),
  created_at timestamptz not null default now(),
  primary key (tenant_id, user_id)
);
create index members_user_id_idx on public.members (user_id);

-- Departments are queues of work ("filas"); agents belong to some of them.
create table public.departments (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  name text not null check (length(btrim(name)) between 1 and 100),
  created_at timestamptz not null default now(),
  unique (tenant_id, name),
  -- lets other tables reference a department together with its tenant, so no row can point across tenants
  unique (id, tenant_id)
);

create table public.department_members (
  department_id uuid not null,
  tenant_id uuid not null,
  user_id uuid not null,
  created_at timestamptz not null default now(),
  primary key (department_id, user_id),
  foreign key (department_id, tenant_id) references public.departments (id, tenant_id) on delete cascade,
  foreign key (tenant_id, user_id) references public.members (tenant_id, user_id) on delete cascade
);
create index department_members_member_idx on public.department_members (tenant_id, user_id);

-- ─── predicates (security definer: they read members whatever the caller may see) ───
create function app.is_member(p_tenant_id uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.members m where m.tenant_id = p_tenant_id and m.user_id = (select auth.uid())
  )
$$;
grant execute on function app.is_member(uuid) to authenticated, service_role;

-- Roles are ranked: an admin may do what a manager may, and a manager what an agent may.
create function app.has_role(p_tenant_id uuid, p_role text) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.members m
    where m.tenant_id = p_tenant_id and m.user_id = (select auth.uid())
      and array_position(array['agent', 'manager', 'admin'], m.role)
        >= array_position(array['agent', 'manager', 'admin'], p_role)
  )
$$;
grant execute on function app.has_role(uuid, text) to authenticated, service_role;

-- ─── tenants ───
alter table public.tenants enable row level security;
grant select, update (name) on public.tenants to authenticated;
create policy "Members can read their tenants" on public.tenants
  for select to authenticated using ((select app.is_member(id)));
create policy "Admins can rename their tenant" on public.tenants
  for update to authenticated
  using ((select app.has_role(id, 'admin'))) with check ((select app.has_role(id, 'admin')));

-- ─── members ───
alter table public.members enable row level security;
grant select, delete, insert (tenant_id, user_id, role, display_name), update (role, display_name)
  on public.members to authenticated;
create policy "Members can read their tenant's members" on public.members
  for select to authenticated using ((select app.is_member(tenant_id)));
create policy "Admins can add members" on public.members
  for insert to authenticated with check ((select app.has_role(tenant_id, 'admin')));
create policy "Admins can change members" on public.members
  for update to authenticated
  using ((select app.has_role(tenant_id, 'admin'))) with check ((select app.has_role(tenant_id, 'admin')));
create policy "Admins can remove members" on public.members
  for delete to authenticated using ((select app.has_role(tenant_id, 'admin')));

-- ─── departments ───
alter table public.departments enable row level security;
grant select, delete, insert (tenant_id, name), update (name) on public.departments to authenticated;
create policy "Members can read their tenant's departments" on public.departments
  for select to authenticated using ((select app.is_member(tenant_id)));
create policy "Managers can create departments" on public.departments
  for insert to authenticated with check ((select app.has_role(tenant_id, 'manager')));
create policy "Managers can rename departments" on public.departments
  for update to authenticated
  using ((select app.has_role(tenant_id, 'manager'))) with check ((select app.has_role(tenant_id, 'manager')));
create policy "Managers can delete departments" on public.departments
  for delete to authenticated using ((select app.has_role(tenant_id, 'manager')));

-- ─── department members ───
alter table public.department_members enable row level security;
grant select, delete, insert (department_id, tenant_id, user_id) on public.department_members to authenticated;
create policy "Members can read who works in each department" on public.department_members
  for select to authenticated using ((select app.is_member(tenant_id)));
create policy "Managers can add agents to departments" on public.department_members
  for insert to authenticated with check ((select app.has_role(tenant_id, 'manager')));
create policy "Managers can remove agents from departments" on public.department_members
  for delete to authenticated using ((select app.has_role(tenant_id, 'manager')));
