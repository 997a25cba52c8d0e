-- One contact per person per tenant, holding every alias WhatsApp knows them by. Each alias is unique per
-- tenant, so resolving a person is an atomic find-or-create on those constraints, never check-then-insert.
create table public.contacts (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  -- what an agent calls the contact; shown before push_name when set
  name text check (length(btrim(name)) between 1 and 200),
  -- the profile name WhatsApp last reported
  push_name text,
  -- E.164 digits without "+"
  phone text check (phone ~ '^[0-9]{3,20}$'),
  -- WhatsApp LID ("…@lid")
  lid text,
  -- Cloud API business-scoped user id
  bsuid text,
  -- a group chat is the contact of its conversation ("…@g.us"); its authors are contacts of their own
  group_jid text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (num_nonnulls(phone, lid, bsuid, group_jid) >= 1),
  unique (tenant_id, phone),
  unique (tenant_id, lid),
  unique (tenant_id, bsuid),
  unique (tenant_id, group_jid),
  unique (id, tenant_id)
);

alter table public.contacts enable row level security;
grant select, delete, insert (tenant_id, name, phone), update (name) on public.contacts to authenticated;
create policy "Members can read their tenant's contacts" on public.contacts
  for select to authenticated using ((select app.is_member(tenant_id)));
create policy "Members can add contacts" on public.contacts
  for insert to authenticated with check ((select app.is_member(tenant_id)));
create policy "Members can rename contacts" on public.contacts
  for update to authenticated
  using ((select app.is_member(tenant_id))) with check ((select app.is_member(tenant_id)));
create policy "Managers can delete contacts" on public.contacts
  for delete to authenticated using ((select app.has_role(tenant_id, 'manager')));

-- Finds the contact any of the given aliases belongs to, or creates it; fills in aliases it did not have yet.
-- p_ref: {phone?, lid?, bsuid?, group_jid?, name?}. When aliases point at two different contacts (seen apart
-- before), the most stable alias wins (bsuid, then group, then lid, then phone) and the contacts stay separate:
-- an alias already held by another contact is never moved.
create function app.resolve_contact(p_tenant_id uuid, p_ref jsonb) returns uuid
language plpgsql volatile set search_path = '' as $$
declare
  -- E.164 digits only, however the provider wrote it ("+55 11 …")
  v_phone text := nullif(regexp_replace(coalesce(p_ref ->> 'phone', ''), '[^0-9]', '', 'g'), '');
  v_lid text := nullif(btrim(p_ref ->> 'lid'), '');
  v_bsuid text := nullif(btrim(p_ref ->> 'bsuid'), '');
  v_group text := nullif(btrim(p_ref ->> 'group_jid'), '');
  v_name text := nullif(btrim(p_ref ->> 'name'), '');
  v_id uuid;
begin
  if num_nonnulls(v_phone, v_lid, v_bsuid, v_group) = 0 then
    raise exception using errcode = 'P0001', message = 'invalid_event',
      detail = 'a contact needs a phone, lid, bsuid or group id';
  end if;
  -- Two attempts: the insert can lose a race to a concurrent apply for the same person, and then the
  -- winner's row is there to find.
  for attempt in 1..2 loop
    select c.id into v_id
    from public.contacts c
    where c.tenant_id = p_tenant_id
      and (c.bsuid = v_bsuid or c.group_jid = v_group or c.lid = v_lid or c.phone = v_phone)
    order by c.bsuid = v_bsuid desc nulls last, c.group_jid = v_group desc nulls last,
      c.lid = v_lid desc nulls last, c.created_at
    limit 1;
    if found then
      update public.contacts c set
        bsuid = coalesce(c.bsuid, case when not exists (
          select 1 from public.contacts o where o.tenant_id = p_tenant_id and o.bsuid = v_bsuid) then v_bsuid end),
        lid = coalesce(c.lid, case when not exists (
          select 1 from public.contacts o where o.tenant_id = p_tenant_id and o.lid = v_lid) then v_lid end),
        phone = coalesce(c.phone, case when not exists (
          select 1 from public.contacts o where o.tenant_id = p_tenant_id and o.phone = v_phone) then v_phone end),
        push_name = coalesce(v_name, c.push_name),
        updated_at = now()
      where c.id = v_id
        and ((c.bsuid is null and v_bsuid is not null) or (c.lid is null and v_lid is not null)
          or (c.phone is null and v_phone is not null) or (v_name is not null and v_name is distinct from c.push_name));
      return v_id;
    end if;
    insert into public.contacts (tenant_id, phone, lid, bsuid, group_jid, push_name)
    values (p_tenant_id, v_phone, v_lid, v_bsuid, v_group, v_name)
    on conflict do nothing
    returning id into v_id;
    if v_id is not null then
      return v_id;
    end if;
  end loop;
  raise exception using errcode = 'P0001', message = 'contact_conflict',
    detail = 'the contact was created and removed concurrently; retry';
end;
$$;
grant execute on function app.resolve_contact(uuid, jsonb) to service_role;
