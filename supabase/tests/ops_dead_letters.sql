-- A manager's dead-letter view: filter by channel, kind and error, see the payload with its secrets redacted and
-- every attempt's error, retry (a failed outbound message goes back to pending so it is sent again) or discard
-- with a reason. Each action lands in the tenant's event log with who did it, and on its topic.
begin;
\ir helpers/setup.psql
select plan(14);
select tests.create_world();
select tests.create_channel('chan_a2', 'tenant_a');
delete from app.message_queue;
delete from realtime.messages;

-- an inbound event that failed twice, then for good
select id as inbound from app.enqueue('inbound_event', 'dl-in', jsonb_build_object('channel_id', tests.id('chan_a2'),
  'event', jsonb_build_object('type', 'message', 'provider_message_id', 'wamid.DL', 'apikey', 'evolution-key',
    'nested', jsonb_build_object('access_token', 'EAAG-token')))) \gset
select app.claim(10, 30);
select app.fail(jsonb_build_array(jsonb_build_object('id', :inbound, 'error', 'deadlock detected')));
update app.message_queue set scheduled_at = now() where id = :inbound;
select app.claim(10, 30);
select app.fail(jsonb_build_array(jsonb_build_object('id', :inbound, 'error', 'invalid_event', 'retryable', false)));

-- an agent's reply the provider refused for good
select app.apply_inbound_event(tests.id('chan_a'), tests.text_event('dl-1', '5511900000077', 'Oi'));
select tests.authenticate_as('ana');
select public.send_message((select conversation_id from public.messages where provider_message_id = 'dl-1'),
  '00000000-0000-4000-8000-0000000dead1', 'Olá!') ->> 'id' as outbound_message \gset
select tests.clear_authentication();
select id as outbound from app.message_queue where correlation_id = :'outbound_message' \gset
select app.claim(10, 30);
select app.record_send_failure(:'outbound_message', '{"code": "evolution_500", "title": "down"}', true, false);
select app.fail(jsonb_build_array(jsonb_build_object('id', :outbound, 'error', 'evolution_500: down', 'retryable', false)));

select tests.authenticate_as('carla');
select is(jsonb_path_query_array(public.dead_letters(tests.id('tenant_a')), '$[*].id'),
  jsonb_build_array(:outbound, :inbound), 'the newest failure comes first');
select is(jsonb_path_query_array(public.dead_letters(tests.id('tenant_a'), channel_id => tests.id('chan_a2')), '$[*].id'),
  jsonb_build_array(:inbound), 'filtered by channel');
select is(jsonb_path_query_array(public.dead_letters(tests.id('tenant_a'), kind => 'outbound_message'), '$[*].id'),
  jsonb_build_array(:outbound), 'by kind');
select is(jsonb_path_query_array(public.dead_letters(tests.id('tenant_a'), error => 'INVALID'), '$[*].id'),
  jsonb_build_array(:inbound), 'by error, ignoring case');
select is(public.dead_letters(tests.id('tenant_a'), channel_id => tests.id('chan_a2')) -> 0 -> 'payload' -> 'event',
  '{"type": "message", "provider_message_id": "wamid.DL", "apikey": "[redacted]",
    "nested": {"access_token": "[redacted]"}}'::jsonb,
  'the payload shows with its secrets redacted');
select is(jsonb_path_query_array(public.dead_letters(tests.id('tenant_a'), channel_id => tests.id('chan_a2')),
  '$[0].errors[*].error'), '["deadlock detected", "invalid_event"]'::jsonb, 'with every attempt''s error');
select is(public.dead_letters(tests.id('tenant_a'), kind => 'outbound_message') -> 0 ->> 'message_id',
  :'outbound_message', 'an outbound one names its message, for the message status view');

select is(public.retry_dead_letters(tests.id('tenant_a'), array[:outbound]::bigint[]), 1,
  'a manager retries a dead letter');
select tests.clear_authentication();
select results_eq(format('select status, error from public.messages where id = %L', :'outbound_message'),
  $$values ('pending', null::jsonb)$$, 'its failed message is pending again');
select is(array(select id from app.message_queue), array[:outbound]::bigint[], 'and its job is back in the queue');
select results_eq($$select type, actor_id, payload ->> 'count' from public.events where type = 'dead_letter.retried'$$,
  $$values ('dead_letter.retried', tests.id('carla'), '1')$$, 'the retry is in the event log with who did it');

select tests.authenticate_as('carla');
select throws_ok(format('select public.discard_dead_letters(tests.id(%L), array[%s]::bigint[], %L)',
  'tenant_a', :inbound, ' '), 'PT400', 'reason_required', 'discarding needs a reason');
select is(public.discard_dead_letters(tests.id('tenant_a'), array[:inbound]::bigint[], 'payload cannot be parsed'), 1,
  'a manager discards a dead letter with a reason');
select tests.clear_authentication();
select is(array(select event from realtime.messages where event like 'dead_letter.%'
                and topic = 'tenant:' || tests.id('tenant_a') order by event),
  array['dead_letter.created', 'dead_letter.created', 'dead_letter.discarded', 'dead_letter.retried'],
  'every dead letter and every action reaches the tenant''s topic');

select * from finish();
rollback;
