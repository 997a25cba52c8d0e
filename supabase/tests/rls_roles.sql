-- What each role may do: agents work their own and unassigned conversations and send messages; managers run any
-- conversation and the departments; admins manage members, channels and the tenant. Columns the database owns
-- (seq, status, provider ids) are nobody's to write.
begin;
\ir helpers/setup.psql
select plan(24);
select tests.create_world();
select app.apply_inbound_event(tests.id('chan_a'), tests.text_event('r-1', '5511999990001', 'Oi'));
select conversation_id as conv, contact_id as contact from public.messages m
  join public.conversations c on c.id = m.conversation_id where provider_message_id = 'r-1' \gset
select tests.create_user('newcomer');

-- agents
select tests.authenticate_as('ana');
select isnt_empty(
  $$update public.conversations set assignee_id = tests.id('ana'), status = 'open' where id = '$$ || :'conv' || $$' returning id$$,
  'an agent takes an unassigned conversation');
select isnt_empty(
  $$update public.conversations set assignee_id = tests.id('bruno') where id = '$$ || :'conv' || $$' returning id$$,
  'and may hand it to a colleague');
select is_empty(
  $$update public.conversations set status = 'closed' where id = '$$ || :'conv' || $$' returning id$$,
  'but cannot act on a conversation assigned to someone else');
select throws_ok($$update public.conversations set last_seq = 99 where id = '$$ || :'conv' || $$'$$,
  '42501', null, 'nobody but the database sets a conversation''s seq');
select lives_ok(
  $$insert into public.messages (conversation_id, client_id, body)
    values ('$$ || :'conv' || $$', '00000000-0000-4000-8000-00000000c1d1', 'Olá, sou a Ana')$$,
  'an agent sends a message in a conversation of their tenant');
select tests.clear_authentication();
select results_eq(
  $$select direction, status, sender_id, seq from public.messages where client_id = '00000000-0000-4000-8000-00000000c1d1'$$,
  $$values ('outbound', 'pending', tests.id('ana'), 2)$$,
  'it is a pending outbound message from that agent, with the next seq');
select tests.authenticate_as('ana');
select throws_ok(
  $$insert into public.messages (conversation_id, direction, status, body)
    values ('$$ || :'conv' || $$', 'inbound', 'read', 'forged')$$,
  '42501', null, 'an agent cannot forge a customer message or a status');
select throws_ok($$update public.messages set status = 'read'$$, '42501', null,
  'an agent cannot change a message''s status');
select throws_ok($$insert into public.events (tenant_id, type, payload) values (tests.id('tenant_a'), 'message.created', '{}')$$,
  '42501', null, 'nobody writes the event log by hand');
select throws_ok($$insert into public.departments (tenant_id, name) values (tests.id('tenant_a'), 'Financeiro')$$,
  '42501', null, 'an agent cannot create a department');
select is_empty($$delete from public.contacts where id = '$$ || :'contact' || $$' returning id$$,
  'an agent cannot delete a contact');
select isnt_empty($$update public.contacts set name = 'Dona Maria' where id = '$$ || :'contact' || $$' returning id$$,
  'but may rename one');
select is_empty($$update public.channels set name = 'Meu canal' where tenant_id = tests.id('tenant_a') returning id$$,
  'an agent cannot change a channel');
select throws_ok(
  $$insert into public.members (tenant_id, user_id, role, display_name)
    values (tests.id('tenant_a'), tests.id('newcomer'), 'agent', 'Novo')$$,
  '42501', null, 'an agent cannot add members');
select is_empty($$update public.members set role = 'admin' where user_id = tests.id('ana') returning user_id$$,
  'nor promote themselves');

-- managers
select tests.authenticate_as('carla');
select isnt_empty(
  $$update public.conversations set status = 'closed' where id = '$$ || :'conv' || $$' returning id$$,
  'a manager acts on any conversation of the tenant');
select lives_ok($$insert into public.departments (tenant_id, name) values (tests.id('tenant_a'), 'Financeiro')$$,
  'a manager creates a department');
select lives_ok(
  $$insert into public.department_members (department_id, tenant_id, user_id)
    select id, tenant_id, tests.id('ana') from public.departments where name = 'Financeiro'$$,
  'and puts agents in it');
select isnt_empty($$delete from public.contacts where id = '$$ || :'contact' || $$' returning id$$,
  'a manager deletes a contact');
select is_empty($$update public.channels set name = 'Canal da Carla' where tenant_id = tests.id('tenant_a') returning id$$,
  'a manager cannot change a channel');
select throws_ok(
  $$insert into public.members (tenant_id, user_id, role, display_name)
    values (tests.id('tenant_a'), tests.id('newcomer'), 'agent', 'Novo')$$,
  '42501', null, 'a manager cannot add members');

-- admins
select tests.authenticate_as('dora');
select lives_ok(
  $$insert into public.members (tenant_id, user_id, role, display_name)
    values (tests.id('tenant_a'), tests.id('newcomer'), 'agent', 'Novo')$$,
  'an admin adds a member');
select isnt_empty($$update public.channels set name = 'Vendas' where tenant_id = tests.id('tenant_a') returning id$$,
  'an admin changes a channel');
select isnt_empty($$update public.tenants set name = 'Loja A' where id = tests.id('tenant_a') returning id$$,
  'an admin renames the tenant');
select tests.clear_authentication();

select * from finish();
rollback;
