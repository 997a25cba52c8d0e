-- Types this model does not know are stored raw and shown as unsupported; connection.update becomes the channel
-- status; a malformed event or an unknown channel is refused with a stable code.
begin;
\ir helpers/setup.psql
select plan(9);
select tests.create_world();

select jsonb_build_object('type', 'message', 'occurred_at', now(), 'dedupe_key', 'poll-1', 'provider_message_id', 'poll-1',
  'from_me', false, 'contact', jsonb_build_object('phone', '5511999990001'), 'message_type', 'pollCreationMessageV3',
  'provider_type', 'pollCreationMessageV3') as poll \gset
select app.apply_inbound_event(tests.id('chan_a'), :'poll');
select results_eq(
  $$select type, body, raw from public.messages where provider_message_id = 'poll-1'$$,
  format($$values ('unsupported', null::text, %L::jsonb)$$, :'poll'),
  'an unknown type is stored as unsupported with the whole event');
select is((select last_message_type from public.conversations c join public.messages m on m.conversation_id = c.id
           where m.provider_message_id = 'poll-1'), 'unsupported', 'and shows in the inbox as unsupported');

create function pg_temp.connection(p_state text, p_at timestamptz, p_reason text default null) returns jsonb
language sql as $$
  select jsonb_build_object('type', 'connection', 'occurred_at', p_at, 'dedupe_key', 'c' || p_state || p_at,
    'state', p_state, 'status_reason', p_reason)
$$;
select is(app.apply_inbound_event(tests.id('chan_a'), pg_temp.connection('open', now())) ->> 'outcome', 'applied',
  'a connection update is applied');
select is((select status from public.channels where id = tests.id('chan_a')), 'open', 'the channel is open');
select app.apply_inbound_event(tests.id('chan_a'), pg_temp.connection('close', now() + interval '1 minute', '401'));
select results_eq(
  $$select status, status_reason, status_changed_at from public.channels where id = tests.id('chan_a')$$,
  $$values ('close', '401', now() + interval '1 minute')$$,
  'a later update closes it, with the reason');
select is(app.apply_inbound_event(tests.id('chan_a'), pg_temp.connection('connecting', now() - interval '1 minute')) ->> 'outcome',
  'stale', 'an older update arriving late changes nothing');

select throws_ok(
  $$select app.apply_inbound_event(tests.id('chan_a'), '{"type": "presence", "occurred_at": "2026-11-24T10:00:00Z"}')$$,
  'P0001', 'invalid_event', 'an unknown event type is an invalid event');
select throws_ok(
  $$select app.apply_inbound_event(tests.id('chan_a'), '{"type": "message", "contact": {"phone": "5511"}}')$$,
  'P0001', 'invalid_event', 'a message without a provider id is an invalid event');
select throws_ok(
  $$select app.apply_inbound_event(gen_random_uuid(), tests.text_event('x', '5511999990001', 'oi'))$$,
  'P0001', 'channel_not_found', 'an event for an unknown channel is refused');

select * from finish();
rollback;
