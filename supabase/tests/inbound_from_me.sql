-- A message the business sent from the phone or WhatsApp Web comes back as a fromMe echo: it is stored as
-- outbound, is never counted as unread, never renews the customer-service window and never renames the customer.
begin;
\ir helpers/setup.psql
select plan(6);
select tests.create_world();

select app.apply_inbound_event(tests.id('chan_a'), tests.text_event('in-1', '5511999990001', 'Oi', p_at => now() - interval '1 hour'));
select app.apply_inbound_event(tests.id('chan_a'),
  tests.text_event('echo-1', '5511999990001', 'Olá! Como posso ajudar?', p_from_me => true)
  || '{"contact": {"phone": "5511999990001", "name": "Você"}}');

select results_eq(
  $$select direction, status, sender_id is null from public.messages where provider_message_id = 'echo-1'$$,
  $$values ('outbound', 'sent', true)$$,
  'the echo is stored as an outbound, sent message');
select results_eq(
  $$select c.unread_count, c.window_expires_at, c.last_message_direction from public.conversations c
    join public.messages m on m.conversation_id = c.id where m.provider_message_id = 'echo-1'$$,
  $$values (1, now() - interval '1 hour' + interval '24 hours', 'outbound')$$,
  'the echo adds no unread message and leaves the window where the customer put it');
select is((select seq from public.messages where provider_message_id = 'echo-1'), 2,
  'the echo takes its place in the conversation');
select is((select push_name from public.contacts where phone = '5511999990001'), 'Cliente 5511999990001',
  'the echo''s push name (the business''s own) does not rename the customer');

-- An echo can start a conversation: the agent wrote first from the phone.
select app.apply_inbound_event(tests.id('chan_a'), tests.text_event('echo-2', '5511999990002', 'Bom dia!', p_from_me => true));
select results_eq(
  $$select c.unread_count, c.window_expires_at is null from public.conversations c
    join public.messages m on m.conversation_id = c.id where m.provider_message_id = 'echo-2'$$,
  $$values (0, true)$$,
  'a conversation started by an echo has nothing unread and no open window');
select is((select push_name from public.contacts where phone = '5511999990002'), null,
  'and its contact takes no name from the echo');

select * from finish();
rollback;
