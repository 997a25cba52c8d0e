-- Every change appends to the tenant's event log and is broadcast to its private topic: inbox rows to
-- tenant:<id>, messages to conversation:<id>, a new assignee's notice to agent:<user id>. Catch-up pages the log
-- by (tx, id) and never hands out events of a transaction still running.
begin;
\ir helpers/setup.psql
select plan(13);
select tests.create_world();
delete from realtime.messages;

select app.apply_inbound_event(tests.id('chan_a'), tests.text_event('ev-1', '5511999990001', 'Oi'));
select conversation_id as conv, id as msg from public.messages where provider_message_id = 'ev-1' \gset

select is(array(select type from public.events where tenant_id = tests.id('tenant_a') order by id),
  array['conversation.created', 'conversation.updated', 'message.created'],
  'a first message opens a conversation, updates its inbox row and adds a message');
select is(array(select topic from realtime.messages order by inserted_at, topic),
  array['conversation:' || :'conv', 'tenant:' || tests.id('tenant_a'), 'tenant:' || tests.id('tenant_a')],
  'each change is broadcast once, to its topic');
select ok((select bool_and(private and extension = 'broadcast') from realtime.messages), 'on private channels');
select results_eq(
  $$select event, payload -> 'record' ->> 'seq', payload -> 'record' ->> 'body', payload -> 'record' ? 'raw'
    from realtime.messages where topic like 'conversation:%'$$,
  $$values ('message.created', '1', 'Oi', false)$$,
  'the message broadcast carries the small row, named by the event');
select ok((select payload ? 'event_id' and payload ? 'tx' from realtime.messages where topic like 'conversation:%'),
  'with its place in the event log');

delete from realtime.messages;
select app.apply_inbound_event(tests.id('chan_a'), tests.status_event('ev-1', 'read'));
select results_eq(
  $$select event, topic from realtime.messages$$,
  format($$values ('message.status_changed', 'conversation:%s')$$, :'conv'),
  'a receipt is broadcast to the conversation');

delete from realtime.messages;
select tests.authenticate_as('carla');
update public.conversations set assignee_id = tests.id('ana'), status = 'open' where id = :'conv';
select tests.clear_authentication();
select results_eq(
  $$select type, actor_id from public.events order by id desc limit 1$$,
  $$values ('conversation.assigned', tests.id('carla'))$$,
  'an assignment is logged with who made it');
select is(array(select topic from realtime.messages order by topic),
  array['agent:' || tests.id('ana'), 'tenant:' || tests.id('tenant_a')],
  'and is also a personal notice to the new assignee');

update public.conversations set unread_count = unread_count where id = :'conv';
select is((select count(*) from public.events where conversation_id = :'conv' and type = 'conversation.updated'), 1::bigint,
  'an update that changes nothing logs nothing');

-- Catch-up: events of finished transactions (here given old tx numbers), paged by (tx, id).
insert into public.events (tenant_id, type, conversation_id, payload, tx)
select tests.id('tenant_a'), 'conversation.updated', :'conv', jsonb_build_object('n', n), n
from generate_series(1, 3) n;
insert into public.events (tenant_id, type, payload, tx) values (tests.id('tenant_b'), 'channel.status_changed', '{}', 2);
select tests.authenticate_as('ana');
select is(array(select payload ->> 'n' from public.events_after(tests.id('tenant_a'))), array['1', '2', '3'],
  'catch-up returns the finished events of the tenant, oldest first');
select is(
  array(select payload ->> 'n' from public.events_after(tests.id('tenant_a'), 2,
    (select id from public.events where tx = 2 and tenant_id = tests.id('tenant_a')))),
  array['3'], 'from a given position on');
select is((select count(*) from public.events_after(tests.id('tenant_b'))), 0::bigint,
  'a member reads no other tenant''s events');
select is((select count(*) from public.events_after(tests.id('tenant_a')) where tx > 3), 0::bigint,
  'events of a transaction still running are not handed out yet');
select tests.clear_authentication();

select * from finish();
rollback;
