-- The contact lookup as one probe per alias. One OR over the four aliases (`bsuid = $1 or group_jid = $2 or …`)
-- got a generic plan that walked every contact of the tenant and filtered: 1.2 ms a message with 5,000 contacts,
-- growing with each new one, until it was the costliest statement of the apply (pg_stat_statements, a 20,000-
-- message drain after 60,000). Each alias is unique per tenant, so each branch is one index probe whatever the
-- table holds; same contract, same precedence (bsuid, then group, then lid, then phone).
create or replace function app.resolve_contact(p_tenant_id uuid, p_ref jsonb) returns uuid
language plpgsql volatile set search_path = '' set plan_cache_mode = force_generic_plan as $$
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
    -- One probe of each alias's unique index, the most stable alias first.
    select a.id into v_id
    from (
      select c.id, 1 as rank from public.contacts c where c.tenant_id = p_tenant_id and c.bsuid = v_bsuid
      union all
      select c.id, 2 from public.contacts c where c.tenant_id = p_tenant_id and c.group_jid = v_group
      union all
      select c.id, 3 from public.contacts c where c.tenant_id = p_tenant_id and c.lid = v_lid
      union all
      select c.id, 4 from public.contacts c where c.tenant_id = p_tenant_id and c.phone = v_phone
    ) a
    order by a.rank
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
