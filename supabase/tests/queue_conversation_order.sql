-- One conversation's events are handed out one at a time, oldest first, while other conversations go on in
-- parallel: a newer event waits while an older one of its conversation is leased, waiting for a retry, or queued.
begin;
\ir helpers/setup.psql
select plan(8);
delete from app.message_queue;

select id as a1 from app.enqueue('inbound_event', 'a1', '{}', 'chan:chat-a') \gset
select id as a2 from app.enqueue('inbound_event', 'a2', '{}', 'chan:chat-a') \gset
select id as b1 from app.enqueue('inbound_event', 'b1', '{}', 'chan:chat-b') \gset
select id as b2 from app.enqueue('inbound_event', 'b2', '{}', 'chan:chat-b') \gset
select id as free from app.enqueue('inbound_event', 'free', '{}') \gset

select is(array(select id from app.claim(10, 30)), array[:a1, :b1, :free]::bigint[],
  'one batch takes the oldest event of each conversation, never two of the same one');
select is(array(select id from app.claim(10, 30)), '{}'::bigint[],
  'while those are leased, the next events of their conversations wait');

select app.complete(array[:a1]::bigint[]);
select is(array(select id from app.claim(10, 30)), array[:a2]::bigint[],
  'once the older event is done, the next one of its conversation is handed out');

select app.fail(jsonb_build_array(jsonb_build_object('id', :b1, 'error', 'db timeout', 'retryable', true)));
select is(array(select id from app.claim(10, 30)), '{}'::bigint[],
  'an older event waiting for its retry holds back the rest of its conversation');

update app.message_queue set scheduled_at = now() where id = :b1;
select is(array(select id from app.claim(10, 30)), array[:b1]::bigint[],
  'the retried event goes first when it is due');

update app.message_queue set leased_until = now() - interval '1 second' where id = :b1;
select is(array(select id from app.claim(10, 30)), array[:b1]::bigint[],
  'a crashed worker''s event comes back before the next one of its conversation');

select app.fail(jsonb_build_array(jsonb_build_object('id', :b1, 'error', 'malformed', 'retryable', false)));
select is(array(select id from app.claim(10, 30)), array[:b2]::bigint[],
  'an event moved to the dead letters no longer holds its conversation back');

select app.retry_dead_letter(array[:b1]::bigint[]);
select app.complete(array[:b2]::bigint[]);
select is(array(select id from app.claim(10, 30)), array[:b1]::bigint[],
  'a retried dead letter returns under its own id');

select * from finish();
rollback;
