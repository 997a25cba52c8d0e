-- The team and channel cards: conversations waiting for an agent and the longest wait, open conversations per
-- agent, today's first-response times, and each channel's connection and webhook health.
begin;
\ir helpers/setup.psql
select plan(10);
select tests.create_world();

create function pg_temp.stats() returns jsonb language plpgsql as $$
begin
  perform tests.authenticate_as('carla');
  return public.tenant_stats(tests.id('tenant_a'), 'America/Sao_Paulo');
end;
$$;

select app.apply_inbound_event(tests.id('chan_a'), tests.text_event('t-1', '5511900000001', 'Oi'));
select app.apply_inbound_event(tests.id('chan_a'), tests.text_event('t-2', '5511900000002', 'Olá'));
select app.apply_inbound_event(tests.id('chan_a'), tests.text_event('t-3', '5511900000003', 'Bom dia'));
update public.conversations set created_at = now() - interval '10 minutes'
where id = (select conversation_id from public.messages where provider_message_id = 't-3');
select is((pg_temp.stats() -> 'team' ->> 'waiting_conversations')::int, 3, 'three conversations wait for an agent');
select tests.clear_authentication();
select is((pg_temp.stats() -> 'team' -> 'longest_conversation_wait_seconds' ->> 'value')::numeric, 600.0,
  'the longest has waited ten minutes');
select tests.clear_authentication();
select is(pg_temp.stats() -> 'team' -> 'longest_conversation_wait_seconds' ->> 'level', 'warning',
  'past five minutes its card turns amber');
select tests.clear_authentication();

-- Ana answers the first customer a minute and a half after they wrote.
update public.messages set created_at = now() - interval '90 seconds' where provider_message_id = 't-1';
select tests.authenticate_as('ana');
select public.send_message((select conversation_id from public.messages where provider_message_id = 't-1'),
  '00000000-0000-4000-8000-00000000f001', 'Olá, sou a Ana');
select public.send_message((select conversation_id from public.messages where provider_message_id = 't-1'),
  '00000000-0000-4000-8000-00000000f002', 'Em que posso ajudar?');
select tests.clear_authentication();
select is(pg_temp.stats() -> 'team' -> 'first_response_today',
  '{"conversations": 1, "median_seconds": 90.0, "p90_seconds": 90.0}'::jsonb,
  'the first reply counts, once per conversation');
select tests.clear_authentication();
select is((pg_temp.stats() -> 'team' ->> 'waiting_conversations')::int, 2, 'a replied conversation no longer waits');
select tests.clear_authentication();
select is(jsonb_path_query_first(pg_temp.stats(), '$.team.open_conversations_per_agent[*] ? (@.display_name == "Ana").open_conversations'),
  '1'::jsonb, 'it is open on Ana''s count');
select tests.clear_authentication();

select app.apply_inbound_event(tests.id('chan_a'), jsonb_build_object('type', 'connection', 'state', 'close',
  'occurred_at', now(), 'dedupe_key', 'tests:conn', 'status_reason', 401));
select app.record_webhook_requests(jsonb_build_array(
  jsonb_build_object('provider', 'evolution', 'channel_id', tests.id('chan_a'), 'status', 200, 'requests', 5,
    'last_at', now() - interval '1 minute'),
  jsonb_build_object('provider', 'evolution', 'channel_id', tests.id('chan_a'), 'status', 401, 'requests', 2,
    'last_at', now())));
select results_eq(
  $$select c ->> 'status', c ->> 'level', (c ->> 'webhook_errors_1h')::int, (c ->> 'last_webhook_error_status')::int,
      (c ->> 'last_webhook_at')::timestamptz = now() - interval '1 minute', c ->> 'last_received_at' is not null
    from jsonb_array_elements(pg_temp.stats() -> 'channels') c$$,
  $$values ('close', 'critical', 2, 401, true, false)$$,
  'a closed Evolution connection and refused webhooks show on the channel card');
select tests.authenticate_as('carla');
select throws_ok($$select public.tenant_stats(tests.id('tenant_a'), 'Mars/Olympus_Mons')$$, 'PT400',
  'invalid_time_zone', 'an unknown time zone is refused');
select tests.clear_authentication();

select app.record_webhook_requests(jsonb_build_array(
  jsonb_build_object('provider', 'evolution', 'channel_id', tests.id('chan_a'), 'status', 200, 'requests', 3,
    'last_at', now())));
select is((select sum(requests) from app.webhook_stats where channel_id = tests.id('chan_a') and status = 200), 8::bigint,
  'flushes of the same minute add up');
update app.webhook_stats set minute = minute - interval '2 days' where channel_id = tests.id('chan_a');
select app.fold_webhook_stats();
select results_eq($$select minute, requests from app.webhook_stats where channel_id = tests.id('chan_a') and status = 200$$,
  $$values ('-infinity'::timestamptz, 8)$$, 'old minutes fold into one total per channel and status');

select * from finish();
rollback;
