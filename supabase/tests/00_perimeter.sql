-- The perimeter: RLS is on everywhere, anon reads nothing, and the app schema (queue, dead letters, secrets) is
-- out of reach of both client roles.
begin;
\ir helpers/setup.psql
select plan(29);

-- The functions the project puts in public (test-only migrations add their own, which are not ours to judge).
create function pg_temp.public_api() returns oid[] language sql as $$
  select array[
    'public.events_after(uuid,bigint,bigint,integer)', 'public.channel_for_webhook(text,text)',
    'public.queue_enqueue(text,text,jsonb,text,integer,timestamptz,text)', 'public.queue_enqueue_batch(jsonb)',
    'public.queue_claim(integer,integer)', 'public.queue_complete(bigint[])', 'public.queue_fail(jsonb)',
    'public.queue_retry_dead_letters(bigint[])', 'public.queue_discard_dead_letters(bigint[],text)',
    'public.apply_inbound_event(uuid,jsonb)'
  ]::regprocedure[]::oid[]
$$;

select is(
  array(select c.relname::text from pg_class c
        where c.relnamespace in ('public'::regnamespace, 'app'::regnamespace) and c.relkind in ('r', 'p')
          and not c.relrowsecurity order by 1),
  '{}'::text[],
  'every table in public and app has row level security on');

-- Data in every exposed table, so "reads nothing" means something.
select tests.create_world();
select app.apply_inbound_event(tests.id('chan_a'), tests.text_event('perimeter-1', '5511900000001', 'Olá'));
select app.apply_inbound_event(tests.id('chan_a'), tests.status_event('perimeter-unknown', 'read'));
insert into public.departments (tenant_id, name) values (tests.id('tenant_a'), 'Vendas');
insert into public.department_members (department_id, tenant_id, user_id)
select d.id, d.tenant_id, tests.id('ana') from public.departments d where d.tenant_id = tests.id('tenant_a');

-- anon, table by table
select tests.authenticate_as_anon();
select throws_ok('select * from public.tenants', '42501', null, 'anon cannot read tenants');
select throws_ok('select * from public.members', '42501', null, 'anon cannot read members');
select throws_ok('select * from public.departments', '42501', null, 'anon cannot read departments');
select throws_ok('select * from public.department_members', '42501', null, 'anon cannot read department members');
select throws_ok('select * from public.channels', '42501', null, 'anon cannot read channels');
select throws_ok('select * from public.contacts', '42501', null, 'anon cannot read contacts');
select throws_ok('select * from public.conversations', '42501', null, 'anon cannot read conversations');
select throws_ok('select * from public.messages', '42501', null, 'anon cannot read messages');
select throws_ok('select * from public.events', '42501', null, 'anon cannot read events');
select throws_ok('select * from app.message_queue', '42501', null, 'anon cannot reach the app schema');
select tests.clear_authentication();

-- …and in general: whatever public table exists, anon either is refused or sees no row.
create temporary table seen_by_anon (table_name text, visible_rows bigint);
grant insert on seen_by_anon to anon;
select tests.authenticate_as_anon();
do $$
declare
  t record;
  n bigint;
begin
  for t in select c.relname from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
  loop
    begin
      execute format('select count(*) from public.%I', t.relname) into n;
    exception when insufficient_privilege then
      n := 0;
    end;
    insert into seen_by_anon values (t.relname, n);
  end loop;
end $$;
select tests.clear_authentication();
select is(array(select table_name from seen_by_anon where visible_rows > 0), '{}'::text[],
  'anon sees no row of any public table');
select cmp_ok((select count(*) from seen_by_anon), '>=', 9::bigint, 'the sweep covered every public table');

-- authenticated and the app schema, table by table
select tests.authenticate_as('ana');
select throws_ok('select * from app.channel_secrets', '42501', null, 'a member cannot read channel secrets');
select throws_ok('select * from app.message_queue', '42501', null, 'a member cannot read the queue');
select throws_ok('select * from app.failed_messages', '42501', null, 'a member cannot read dead letters');
select throws_ok('select * from app.queue_keys', '42501', null, 'a member cannot read dedupe keys');
select throws_ok('select * from app.queue_settings', '42501', null, 'a member cannot read queue settings');
select throws_ok('select * from app.early_receipts', '42501', null, 'a member cannot read early receipts');
select throws_ok($$select * from app.enqueue('inbound_event', 'x', '{}')$$, '42501', null,
  'a member cannot enqueue');
select throws_ok($$select app.apply_inbound_event(tests.id('chan_a'), tests.text_event('p-2', '5511900000002', 'x'))$$,
  '42501', null, 'a member cannot apply provider events');
select throws_ok($$select * from public.queue_claim(10)$$, '42501', null,
  'a member cannot call the service-role queue API');
select tests.clear_authentication();

select is(
  array(select c.relname::text from pg_class c where c.relnamespace = 'app'::regnamespace and c.relkind = 'r'
          and (has_table_privilege('authenticated', c.oid, 'select, insert, update, delete, truncate, references')
            or has_table_privilege('anon', c.oid, 'select, insert, update, delete, truncate, references'))),
  '{}'::text[],
  'no app table grants anything to anon or authenticated');
select ok(not has_schema_privilege('anon', 'app', 'usage'), 'anon cannot even look into the app schema');
select is(
  array(select p.proname::text from pg_proc p where p.pronamespace = 'app'::regnamespace
          and has_function_privilege('authenticated', p.oid, 'execute') order by 1),
  array['can_use_topic', 'has_role', 'is_member', 'try_uuid'],
  'authenticated may call only the policy predicates in app');
select is(
  array(select p.proname::text from pg_proc p
        where (p.pronamespace = 'app'::regnamespace or p.oid = any(pg_temp.public_api()))
          and has_function_privilege('anon', p.oid, 'execute')),
  '{}'::text[],
  'anon may call no function of ours');
select is(
  array(select p.oid::regprocedure::text from pg_proc p
        where p.oid = any(pg_temp.public_api()) and has_function_privilege('authenticated', p.oid, 'execute')),
  array['events_after(uuid,bigint,bigint,integer)'],
  'authenticated may call only the catch-up function in public');

select ok(
  (select bool_and(has_function_privilege('service_role', f, 'execute')) from unnest(pg_temp.public_api()) f),
  'service_role may call the whole public API');
select ok(
  (select bool_and(has_table_privilege('service_role', c.oid, 'select')) from pg_class c
   where c.relnamespace = 'app'::regnamespace and c.relkind = 'r'),
  'service_role can read every app table');

select * from finish();
rollback;
