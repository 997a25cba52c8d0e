-- Delivery status only moves forward (pending < sent < delivered < read); failed is terminal unless a later
-- delivered or read proves otherwise; a receipt that arrives before its message is applied when the message appears.
begin;
\ir helpers/setup.psql
select plan(16);
select tests.create_world();

select is(app.next_message_status('sent', 'delivered'), 'delivered', 'sent moves on to delivered');
select is(app.next_message_status('read', 'delivered'), 'read', 'read never goes back to delivered');
select is(app.next_message_status('delivered', 'failed'), 'delivered', 'a failure after delivery is stale');
select is(app.next_message_status('failed', 'sent'), 'failed', 'failed is terminal for sent');
select is(app.next_message_status('failed', 'read'), 'read', 'a later read proves a failed message arrived');

-- The receipt first, then the message (an echo of a message sent from the phone).
select is(app.apply_inbound_event(tests.id('chan_a'), tests.status_event('wamid.OUT1', 'delivered', now() - interval '1 minute')) ->> 'outcome',
  'kept', 'a receipt for a message not stored yet is kept');
select app.apply_inbound_event(tests.id('chan_a'),
  tests.text_event('wamid.OUT1', '5511999990001', 'Seu pedido saiu', p_from_me => true, p_at => now() - interval '2 minutes'));
select results_eq(
  $$select status, delivered_at from public.messages where provider_message_id = 'wamid.OUT1'$$,
  $$values ('delivered', now() - interval '1 minute')$$,
  'the kept receipt is applied when its message appears');
select is((select count(*) from app.early_receipts where provider_message_id = 'wamid.OUT1'), 0::bigint,
  'and is no longer kept');

select is(app.apply_inbound_event(tests.id('chan_a'), tests.status_event('wamid.OUT1', 'read')) ->> 'outcome',
  'applied', 'a read receipt is applied');
select is(app.apply_inbound_event(tests.id('chan_a'), tests.status_event('wamid.OUT1', 'delivered')) ->> 'outcome',
  'stale', 'a late delivered receipt changes nothing');
select is((select status from public.messages where provider_message_id = 'wamid.OUT1'), 'read',
  'status never goes backwards');

-- Read without delivered (Meta skips delivered when both happen at once).
select app.apply_inbound_event(tests.id('chan_a'), tests.text_event('wamid.OUT2', '5511999990001', 'Oi', p_from_me => true));
select app.apply_inbound_event(tests.id('chan_a'), tests.status_event('wamid.OUT2', 'read', now() + interval '1 minute'));
select results_eq(
  $$select status, delivered_at, read_at from public.messages where provider_message_id = 'wamid.OUT2'$$,
  $$values ('read', now() + interval '1 minute', now() + interval '1 minute')$$,
  'read without delivered also records when it was delivered');

-- Failed, then proven otherwise.
select app.apply_inbound_event(tests.id('chan_a'), tests.text_event('wamid.OUT3', '5511999990001', 'Oi', p_from_me => true));
select app.apply_inbound_event(tests.id('chan_a'), tests.status_event('wamid.OUT3', 'failed')
  || '{"error": {"code": "131026", "title": "Message undeliverable"}}');
select results_eq(
  $$select status, error ->> 'code' from public.messages where provider_message_id = 'wamid.OUT3'$$,
  $$values ('failed', '131026')$$,
  'a failure is recorded with its error');
select is(app.apply_inbound_event(tests.id('chan_a'), tests.status_event('wamid.OUT3', 'sent')) ->> 'outcome',
  'stale', 'a sent receipt after the failure changes nothing');
select app.apply_inbound_event(tests.id('chan_a'), tests.status_event('wamid.OUT3', 'delivered'));
select is((select status from public.messages where provider_message_id = 'wamid.OUT3'), 'delivered',
  'a later delivered receipt proves the failed message arrived');

select throws_ok(
  $$select app.apply_inbound_event(tests.id('chan_a'), tests.status_event('wamid.OUT3', 'played'))$$,
  'P0001', 'invalid_event', 'an unknown status is an invalid event');

select * from finish();
rollback;
