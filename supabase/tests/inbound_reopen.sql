-- A closed conversation stays closed: the contact's next message opens a new one. There is never more than one
-- open conversation per contact and channel.
begin;
\ir helpers/setup.psql
select plan(7);
select tests.create_world();

select app.apply_inbound_event(tests.id('chan_a'), tests.text_event('m-1', '5511999990001', 'Oi'));
select conversation_id as first from public.messages where provider_message_id = 'm-1' \gset
update public.conversations set status = 'closed' where id = :'first';
select isnt((select closed_at from public.conversations where id = :'first'), null, 'closing records when');

select app.apply_inbound_event(tests.id('chan_a'), tests.text_event('m-2', '5511999990001', 'Voltei'));
select conversation_id as second from public.messages where provider_message_id = 'm-2' \gset
select isnt(:'second'::uuid, :'first'::uuid, 'the next message opens a new conversation');
select results_eq(
  $$select status, last_seq from public.conversations where id = '$$ || :'second' || $$'$$,
  $$values ('pending', 1)$$,
  'the new conversation waits for an agent and counts from seq 1');
select is((select status from public.conversations where id = :'first'), 'closed', 'the old one stays closed');
select is((select count(*) from public.messages where conversation_id = :'first'), 1::bigint,
  'with its own messages');

select throws_ok(
  $$insert into public.conversations (tenant_id, channel_id, contact_id)
    select tenant_id, channel_id, contact_id from public.conversations where id = '$$ || :'second' || $$'$$,
  '23505', null, 'a second open conversation for the same contact and channel is refused');
select throws_ok(
  $$insert into public.messages (conversation_id, direction, status, body) values ('$$ || :'first' || $$', 'outbound', 'pending', 'x')$$,
  'P0001', 'conversation_closed', 'nothing more is added to a closed conversation');

select * from finish();
rollback;
