-- Messages of a conversation are numbered 1, 2, 3 … in the order they are applied, and a duplicate event
-- (redelivery, retry) stores nothing and burns no number.
begin;
\ir helpers/setup.psql
select plan(11);
select tests.create_world();

select app.apply_inbound_event(tests.id('chan_a'), tests.text_event('wamid.1', '5511999990001', 'Oi', p_at => now() - interval '3 minutes'));
select app.apply_inbound_event(tests.id('chan_a'), tests.text_event('wamid.2', '5511999990001', 'Tudo bem?', p_at => now() - interval '2 minutes'));
select app.apply_inbound_event(tests.id('chan_a'), tests.text_event('wamid.3', '5511999990001', 'Preciso de ajuda', p_at => now() - interval '1 minute'));
select conversation_id as conv from public.messages where provider_message_id = 'wamid.1' \gset

select is(array(select seq from public.messages where conversation_id = :'conv' order by seq), array[1, 2, 3],
  'three messages of one conversation get seq 1, 2, 3');
select is(array(select body from public.messages where conversation_id = :'conv' order by seq),
  array['Oi', 'Tudo bem?', 'Preciso de ajuda'], 'in the order they were applied');
select results_eq(
  $$select status, last_seq, unread_count, last_message_preview, last_message_direction from public.conversations
    where id = '$$ || :'conv' || $$'$$,
  $$values ('pending', 3, 3, 'Preciso de ajuda', 'inbound')$$,
  'the conversation is waiting for an agent with its seq, unread count and last message');
select is((select window_expires_at from public.conversations where id = :'conv'),
  now() - interval '1 minute' + interval '24 hours',
  'the customer-service window ends 24 h after the last customer message');

select is(
  app.apply_inbound_event(tests.id('chan_a'), tests.text_event('wamid.2', '5511999990001', 'Tudo bem?')) ->> 'outcome',
  'duplicate', 'a duplicate event is recognised');
select is((select count(*) from public.messages where provider_message_id = 'wamid.2'), 1::bigint,
  'a duplicate event stores one message');
select is((select last_seq || '/' || unread_count from public.conversations where id = :'conv'), '3/3',
  'a duplicate event changes neither seq nor unread count');
select is(
  (app.apply_inbound_event(tests.id('chan_a'), tests.text_event('wamid.4', '5511999990001', 'Alô?')) ->> 'seq')::int,
  4, 'the next new message takes the next seq, with no gap');

-- A message already stored when the insert runs (as a concurrent apply would leave it) is skipped by the
-- insert itself, still without a gap.
insert into public.messages (conversation_id, direction, status, provider_message_id, body)
values (:'conv', 'inbound', 'delivered', 'wamid.4', 'Alô?');
select is((select last_seq from public.conversations where id = :'conv'), 4,
  'an insert of a stored provider message id is skipped without taking a seq');

select is(
  (app.apply_inbound_event(tests.id('chan_a'), tests.text_event('wamid.9', '5511999990002', 'Olá')) ->> 'seq')::int,
  1, 'another contact''s conversation counts from 1');
select is((select count(distinct conversation_id) from public.messages where channel_id = tests.id('chan_a')), 2::bigint,
  'each contact has its own conversation');

select * from finish();
rollback;
