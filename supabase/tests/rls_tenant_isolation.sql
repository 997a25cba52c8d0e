-- A member reads and writes only their own tenant, table by table.
begin;
\ir helpers/setup.psql
select plan(25);
select tests.create_world();

-- The same kind of data in both tenants.
insert into public.departments (tenant_id, name) values (tests.id('tenant_a'), 'Vendas'), (tests.id('tenant_b'), 'Vendas');
insert into public.department_members (department_id, tenant_id, user_id)
select d.id, d.tenant_id, m.user_id from public.departments d join public.members m on m.tenant_id = d.tenant_id
where d.tenant_id in (tests.id('tenant_a'), tests.id('tenant_b'));
select app.apply_inbound_event(tests.id('chan_a'), tests.text_event('a-1', '5511999990001', 'Oi A'));
select app.apply_inbound_event(tests.id('chan_b'), tests.text_event('b-1', '5511999990001', 'Oi B'));
select id as conv_b from public.conversations where tenant_id = tests.id('tenant_b') \gset
select id as contact_b from public.contacts where tenant_id = tests.id('tenant_b') \gset
select id as contact_a from public.contacts where tenant_id = tests.id('tenant_a') \gset

create function pg_temp.visible(p_table text, p_tenant text) returns bigint language plpgsql as $$
declare
  n bigint;
begin
  execute format('select count(*) from public.%I where %I = $1', p_table,
    case when p_table = 'tenants' then 'id' else 'tenant_id' end)
    into n using tests.id(p_tenant);
  return n;
end;
$$;
grant execute on function pg_temp.visible(text, text) to authenticated;

select tests.authenticate_as('ana');
select ok(pg_temp.visible('tenants', 'tenant_a') > 0 and pg_temp.visible('tenants', 'tenant_b') = 0,
  'tenants: a member sees their tenant only');
select ok(pg_temp.visible('members', 'tenant_a') > 0 and pg_temp.visible('members', 'tenant_b') = 0,
  'members: only their tenant''s');
select ok(pg_temp.visible('departments', 'tenant_a') > 0 and pg_temp.visible('departments', 'tenant_b') = 0,
  'departments: only their tenant''s');
select ok(pg_temp.visible('department_members', 'tenant_a') > 0 and pg_temp.visible('department_members', 'tenant_b') = 0,
  'department members: only their tenant''s');
select ok(pg_temp.visible('channels', 'tenant_a') > 0 and pg_temp.visible('channels', 'tenant_b') = 0,
  'channels: only their tenant''s');
select ok(pg_temp.visible('contacts', 'tenant_a') > 0 and pg_temp.visible('contacts', 'tenant_b') = 0,
  'contacts: only their tenant''s');
select ok(pg_temp.visible('conversations', 'tenant_a') > 0 and pg_temp.visible('conversations', 'tenant_b') = 0,
  'conversations: only their tenant''s');
select ok(pg_temp.visible('messages', 'tenant_a') > 0 and pg_temp.visible('messages', 'tenant_b') = 0,
  'messages: only their tenant''s');
select ok(pg_temp.visible('events', 'tenant_a') > 0 and pg_temp.visible('events', 'tenant_b') = 0,
  'events: only their tenant''s');

-- Writing into the other tenant: hidden rows are untouched, new rows refused.
select is_empty($$update public.tenants set name = 'x' where id = tests.id('tenant_b') returning id$$,
  'tenants: another tenant cannot be renamed');
select is_empty($$update public.conversations set status = 'closed' where id = '$$ || :'conv_b' || $$' returning id$$,
  'conversations: another tenant''s cannot be changed');
select is_empty($$update public.contacts set name = 'x' where id = '$$ || :'contact_b' || $$' returning id$$,
  'contacts: another tenant''s cannot be renamed');
select is_empty($$delete from public.members where tenant_id = tests.id('tenant_b') returning user_id$$,
  'members: another tenant''s cannot be removed');
select is_empty($$delete from public.departments where tenant_id = tests.id('tenant_b') returning id$$,
  'departments: another tenant''s cannot be deleted');
select is_empty($$delete from public.channels where tenant_id = tests.id('tenant_b') returning id$$,
  'channels: another tenant''s cannot be deleted');
select throws_ok($$insert into public.contacts (tenant_id, phone) values (tests.id('tenant_b'), '5511900000000')$$,
  '42501', null, 'contacts: none can be added to another tenant');
select throws_ok($$insert into public.departments (tenant_id, name) values (tests.id('tenant_b'), 'Intrusos')$$,
  '42501', null, 'departments: none can be added to another tenant');
select throws_ok($$insert into public.members (tenant_id, user_id, role, display_name)
                   values (tests.id('tenant_b'), tests.id('ana'), 'admin', 'Ana')$$,
  '42501', null, 'members: nobody joins another tenant on their own');
select throws_ok(
  $$insert into public.conversations (tenant_id, channel_id, contact_id)
    values (tests.id('tenant_b'), tests.id('chan_b'), '$$ || :'contact_b' || $$')$$,
  '42501', null, 'conversations: none can be started in another tenant');
select throws_ok(
  $$insert into public.conversations (tenant_id, channel_id, contact_id)
    values (tests.id('tenant_a'), tests.id('chan_b'), '$$ || :'contact_a' || $$')$$,
  '23503', null, 'conversations: none can point at another tenant''s channel');
select throws_ok(
  $$insert into public.messages (conversation_id, body) values ('$$ || :'conv_b' || $$', 'olá')$$,
  '42501', null, 'messages: none can be sent in another tenant''s conversation');

-- And the other way round.
select tests.authenticate_as('zeca');
select ok(pg_temp.visible('conversations', 'tenant_a') = 0 and pg_temp.visible('conversations', 'tenant_b') > 0,
  'the other tenant''s member sees only their own conversations');
select ok(pg_temp.visible('messages', 'tenant_a') = 0 and pg_temp.visible('messages', 'tenant_b') > 0,
  'and only their own messages');

-- Someone signed in who belongs to no tenant sees nothing.
select tests.clear_authentication();
select tests.create_user('outsider');
select tests.authenticate_as('outsider');
select is((select count(*) from public.conversations), 0::bigint, 'a user of no tenant sees no conversation');
select is((select count(*) from public.tenants), 0::bigint, 'nor any tenant');
select tests.clear_authentication();

select * from finish();
rollback;
