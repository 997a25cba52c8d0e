-- Monitoring is for managers and admins of the tenant: they read its cards and its dead letters and act on them;
-- agents do not; other tenants never, not even their managers; anon reaches none of it.
begin;
\ir helpers/setup.psql
select plan(17);
select tests.create_world();
select tests.add_member('tenant_b', 'yara', 'manager');
delete from app.message_queue;

create function pg_temp.dead_letter(p_channel text, p_key text) returns bigint language plpgsql as $$
declare
  v_id bigint;
begin
  select id into v_id from app.enqueue('inbound_event', p_key,
    jsonb_build_object('channel_id', tests.id(p_channel), 'event', jsonb_build_object('type', 'message')));
  perform app.claim(100, 30);
  perform app.fail(jsonb_build_array(jsonb_build_object('id', v_id, 'error', 'invalid_event', 'retryable', false)));
  return v_id;
end;
$$;
select pg_temp.dead_letter('chan_a', 'access-a') as dead_a \gset
select pg_temp.dead_letter('chan_b', 'access-b') as dead_b \gset

select tests.authenticate_as('carla');
select ok(public.tenant_stats(tests.id('tenant_a')) ? 'queue', 'a manager reads the tenant''s cards');
select is((public.tenant_stats(tests.id('tenant_a')) -> 'queue' -> 'dead_letters' ->> 'value')::int, 1,
  'and they count the tenant''s dead letter only');
select is(jsonb_path_query_array(public.dead_letters(tests.id('tenant_a')), '$[*].id'), jsonb_build_array(:dead_a),
  'a manager lists the tenant''s dead letters');
select tests.authenticate_as('dora');
select ok(public.tenant_stats(tests.id('tenant_a')) ? 'team', 'an admin reads the cards too');
select is(jsonb_array_length(public.dead_letters(tests.id('tenant_a'))), 1, 'and the dead letters');

select tests.authenticate_as('ana');
select throws_ok($$select public.tenant_stats(tests.id('tenant_a'))$$, 'PT403', 'not_allowed',
  'an agent does not read the cards');
select throws_ok($$select public.dead_letters(tests.id('tenant_a'))$$, 'PT403', 'not_allowed',
  'nor the dead letters');
select throws_ok(format('select public.retry_dead_letters(tests.id(%L), array[%s]::bigint[])', 'tenant_a', :dead_a),
  'PT403', 'not_allowed', 'nor retries them');
select throws_ok(
  format('select public.discard_dead_letters(tests.id(%L), array[%s]::bigint[], %L)', 'tenant_a', :dead_a, 'x'),
  'PT403', 'not_allowed', 'nor discards them');
select throws_ok($$select * from app.queue_stats$$, '42501', null, 'nor reads the counters directly');

select tests.authenticate_as('yara');
select throws_ok($$select public.tenant_stats(tests.id('tenant_a'))$$, 'PT403', 'not_allowed',
  'another tenant''s manager does not read these cards');
select throws_ok($$select public.dead_letters(tests.id('tenant_a'))$$, 'PT403', 'not_allowed',
  'nor these dead letters');
select is(jsonb_path_query_array(public.dead_letters(tests.id('tenant_b')), '$[*].id'), jsonb_build_array(:dead_b),
  'their own list holds only their own dead letter');
select is(public.retry_dead_letters(tests.id('tenant_b'), array[:dead_a]::bigint[]), 0,
  'naming another tenant''s dead letter under their own tenant retries nothing');
select is(public.discard_dead_letters(tests.id('tenant_b'), array[:dead_a]::bigint[], 'not mine'), 0,
  'and discards nothing');
select tests.clear_authentication();
select is((select discarded_at from app.failed_messages where id = :dead_a), null, 'the dead letter is untouched');

select tests.authenticate_as_anon();
select throws_ok($$select public.tenant_stats(tests.id('tenant_a'))$$, '42501', null, 'anon calls none of it');
select tests.clear_authentication();

select * from finish();
rollback;
