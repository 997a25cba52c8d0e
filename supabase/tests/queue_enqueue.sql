-- A redelivered event is enqueued once: enqueue says whether the key was new, one by one or in a batch, and
-- remembers the key after the row has been processed and left the queue.
begin;
\ir helpers/setup.psql
select plan(12);

select results_eq(
  $$select inserted, id is not null from app.enqueue('inbound_event', 'evo:atende:ABC', '{"n": 1}', 'chat-1')$$,
  $$values (true, true)$$,
  'a new dedupe key is enqueued');
select results_eq(
  $$select inserted, id is null from app.enqueue('inbound_event', 'evo:atende:ABC', '{"n": 2}', 'chat-1')$$,
  $$values (false, true)$$,
  'the same key again is not enqueued, and the caller is told so');
select is((select count(*) from app.message_queue where dedupe_key = 'evo:atende:ABC'), 1::bigint,
  'the queue holds one row for the key');
select is((select payload from app.message_queue where dedupe_key = 'evo:atende:ABC'), '{"n": 1}'::jsonb,
  'the first payload is kept');

select app.complete(array(select id from app.message_queue where dedupe_key = 'evo:atende:ABC'));
select is((select count(*) from app.message_queue where dedupe_key = 'evo:atende:ABC'), 0::bigint,
  'a completed row leaves the queue');
select results_eq(
  $$select inserted from app.enqueue('inbound_event', 'evo:atende:ABC', '{"n": 3}')$$,
  $$values (false)$$,
  'a redelivery after the row was processed is still recognised');

select app.enqueue('inbound_event', 'cloud:wamid.OLD', '{}');
select results_eq(
  $$select dedupe_key, inserted from app.enqueue_batch('[
      {"kind": "inbound_event", "dedupe_key": "cloud:wamid.A", "payload": {"n": "a"}, "ordering_key": "c1"},
      {"kind": "inbound_event", "dedupe_key": "cloud:wamid.B", "payload": {"n": "b"}, "ordering_key": "c1"},
      {"kind": "inbound_event", "dedupe_key": "cloud:wamid.A", "payload": {"n": "a2"}, "ordering_key": "c1"},
      {"kind": "inbound_event", "dedupe_key": "cloud:wamid.OLD", "payload": {}}
    ]')$$,
  $$values ('cloud:wamid.A', true), ('cloud:wamid.B', true), ('cloud:wamid.A', false), ('cloud:wamid.OLD', false)$$,
  'a batch reports, job by job in the given order, which keys were new');
select is(
  array(select payload ->> 'n' from app.message_queue where dedupe_key in ('cloud:wamid.A', 'cloud:wamid.B') order by id),
  array['a', 'b'],
  'a batch enqueues each new key once, in the given order');
select is((select max_attempts from app.message_queue where dedupe_key = 'cloud:wamid.A'),
  (select max_attempts from app.queue_settings), 'new rows take max_attempts from the queue settings');

select tests.clear_authentication();
set local role service_role;
select results_eq(
  $$select inserted from public.queue_enqueue('inbound_event', 'evo:atende:SERVICE', '{}', 'chat-9', 5)$$,
  $$values (true)$$,
  'service_role enqueues through the public API');
select results_eq(
  $$select inserted from public.queue_enqueue_batch('[{"kind": "inbound_event", "dedupe_key": "evo:atende:SERVICE", "payload": {}}]')$$,
  $$values (false)$$,
  'service_role batch-enqueues through the public API');
reset role;
select is((select priority from app.message_queue where dedupe_key = 'evo:atende:SERVICE'), 5,
  'the priority given is stored');

select * from finish();
rollback;
