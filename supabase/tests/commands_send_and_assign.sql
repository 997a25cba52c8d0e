-- Agents' commands in SQL: sending is idempotent by client id and refused with a stable code where it must be;
-- assignment has one winner; transfers, status changes and reads do what the console shows.
begin;
\ir helpers/setup.psql
select plan(20);
select tests.create_world();
select app.apply_inbound_event(tests.id('chan_a'), tests.text_event('c-1', '5511999990011', 'Oi'));
select conversation_id as conv from public.messages where provider_message_id = 'c-1' \gset

-- sending
select tests.authenticate_as('ana');
select is((public.send_message(:'conv', '00000000-0000-4000-8000-0000000000a1', 'Olá!') ->> 'status'), 'pending',
  'a sent message is stored as pending');
select is((public.send_message(:'conv', '00000000-0000-4000-8000-0000000000a1', 'Olá!') ->> 'seq')::int, 2,
  'the same client id returns the same message');
select tests.clear_authentication();
select is((select count(*)::int from public.messages where client_id = '00000000-0000-4000-8000-0000000000a1'), 1,
  'and stores it once');
select is((select count(*)::int from app.message_queue where kind = 'outbound_message'
  and payload ->> 'message_id' = (select id::text from public.messages where client_id = '00000000-0000-4000-8000-0000000000a1')),
  1, 'with one outbound job');
select is((select assignee_id from public.conversations where id = :'conv'), tests.id('ana'),
  'replying to a waiting conversation takes it');
select is((select status from public.conversations where id = :'conv'), 'open', 'and opens it');

select tests.authenticate_as('bruno');
select throws_ok(format($$select public.send_message(%L, gen_random_uuid(), 'eu também')$$, :'conv'),
  'PT403', 'not_allowed', 'another agent cannot reply in a conversation assigned to Ana');
select throws_ok(format($$select public.send_message(%L, gen_random_uuid(), '   ')$$, :'conv'),
  'PT403', 'not_allowed', 'nor send anything there');
select tests.authenticate_as('zeca');
select throws_ok(format($$select public.send_message(%L, gen_random_uuid(), 'oi')$$, :'conv'),
  'PT404', 'conversation_not_found', 'another tenant does not even see the conversation');
select tests.authenticate_as('carla');
select lives_ok(format($$select public.send_message(%L, gen_random_uuid(), 'Sou a gerente')$$, :'conv'),
  'a manager may reply in any conversation');
select tests.clear_authentication();

-- assignment has one winner
select app.apply_inbound_event(tests.id('chan_a'), tests.text_event('c-2', '5511999990012', 'Oi de novo'));
select conversation_id as conv2 from public.messages where provider_message_id = 'c-2' \gset
select tests.authenticate_as('bruno');
select is((public.assign_conversation(:'conv2')).assignee_id, tests.id('bruno'), 'Bruno takes the conversation');
select tests.authenticate_as('ana');
select throws_ok(format('select public.assign_conversation(%L)', :'conv2'), 'PT409', 'already_assigned',
  'Ana, a moment later, is told it is taken');
select throws_ok(format('select public.assign_conversation(%L, %L)', :'conv', tests.id('bruno')), 'PT403', 'not_allowed',
  'an agent does not assign to others');

-- transfer, status, read
select is((public.transfer_conversation(:'conv', tests.id('bruno'), null, 'Cliente quer falar de faturamento')).assignee_id,
  tests.id('bruno'), 'Ana transfers her conversation to Bruno');
select is((select transfer_note from public.conversations where id = :'conv'), 'Cliente quer falar de faturamento',
  'with her note');
select tests.authenticate_as('bruno');
select is((public.set_conversation_status(:'conv', 'closed')).status, 'closed', 'Bruno closes it');
select tests.clear_authentication();
select app.apply_inbound_event(tests.id('chan_a'), tests.text_event('c-3', '5511999990011', 'Mais uma coisa'));
select tests.authenticate_as('bruno');
select throws_ok(format($$select public.set_conversation_status(%L, 'open')$$, :'conv'), 'PT409',
  'another_conversation_open', 'the old one cannot reopen while the customer has a new one open');
select tests.clear_authentication();
select ok((select unread_count > 0 from public.conversations where id = (
  select conversation_id from public.messages where provider_message_id = 'c-3')), 'the new conversation has unread messages');
select tests.authenticate_as('ana');
select is((public.mark_conversation_read((select conversation_id from public.messages where provider_message_id = 'c-3'))).unread_count,
  0, 'opening it clears the unread count for everyone');
select throws_ok(format($$select public.set_conversation_status(%L, 'archived')$$, :'conv2'), 'PT400',
  'invalid_status', 'an unknown status is refused');
select tests.clear_authentication();

select * from finish();
rollback;
