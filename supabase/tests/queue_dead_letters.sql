-- A dead letter can be sent back through the queue or discarded with a reason; a discarded one stays discarded.
begin;
\ir helpers/setup.psql
select plan(8);
delete from app.message_queue;

select id as first from app.enqueue('outbound_message', 'send-1', '{"to": "5511"}', 'chan:chat') \gset
select id as second from app.enqueue('outbound_message', 'send-2', '{"to": "5512"}') \gset
select app.claim(10, 30);
select app.fail(jsonb_build_array(
  jsonb_build_object('id', :first, 'error', '131047 re-engagement', 'retryable', false),
  jsonb_build_object('id', :second, 'error', '131026 undeliverable', 'retryable', false)));

set local role service_role;
select is(public.queue_retry_dead_letters(array[:first]::bigint[]), 1, 'an operator retries a dead letter');
reset role;
select results_eq(
  $$select kind, payload, attempts, jsonb_array_length(errors) from app.message_queue where id = $$ || :first,
  $$values ('outbound_message', '{"to": "5511"}'::jsonb, 0, 1)$$,
  'it is back in the queue with fresh attempts and its error history');
select is((select count(*) from app.failed_messages where id = :first), 0::bigint, 'and no longer a dead letter');
select is(array(select id from app.claim(10, 30)), array[:first]::bigint[], 'and is handed out again');

set local role service_role;
select is(public.queue_discard_dead_letters(array[:second]::bigint[], 'customer unreachable'), 1,
  'an operator discards a dead letter');
reset role;
select results_eq(
  $$select discard_reason, discarded_at is not null from app.failed_messages where id = $$ || :second,
  $$values ('customer unreachable', true)$$,
  'the discarded dead letter is kept with its reason');
select is(app.retry_dead_letter(array[:second]::bigint[]), 0, 'a discarded dead letter cannot be retried');
select is(app.discard_dead_letter(array[:second]::bigint[], 'again'), 0, 'nor discarded twice');

select * from finish();
rollback;
