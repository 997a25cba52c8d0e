-- Failures retry with exponential backoff and jitter, up to max attempts; then, or at once for an error that
-- retrying cannot fix, the row becomes a dead letter with its original payload, every error and the attempt count.
begin;
\ir helpers/setup.psql
select plan(14);
delete from app.message_queue;

select is(app.retry_delay(1, '2 seconds', '5 minutes', 0), interval '1 second', 'the first retry waits at least half the base');
select is(app.retry_delay(1, '2 seconds', '5 minutes', 1), interval '2 seconds', 'and at most the base');
select is(app.retry_delay(4, '2 seconds', '5 minutes', 1), interval '16 seconds', 'the delay doubles per attempt');
select is(app.retry_delay(40, '2 seconds', '5 minutes', 1), interval '5 minutes', 'up to the cap');
select ok(
  (select bool_and(app.retry_delay(n + 1, '2 seconds', '1 year', 0) >= app.retry_delay(n, '2 seconds', '1 year', 1))
   from generate_series(1, 20) n),
  'below the cap, whatever the jitter, each retry waits at least as long as the one before');

update app.queue_settings set backoff_base = '10 seconds', backoff_cap = '1 hour', max_attempts = 3;
select id as job from app.enqueue('inbound_event', 'flaky', '{"event": "original"}', 'chan:chat') \gset

create temporary table waits (attempt integer, wait interval, outcome text);
do $$
declare
  v_job bigint := (select id from app.message_queue where dedupe_key = 'flaky');
  r record;
begin
  for attempt in 1..3 loop
    perform app.claim(10, 30);
    select * into r from app.fail(jsonb_build_array(
      jsonb_build_object('id', v_job, 'error', format('timeout %s', attempt))));
    insert into waits values (attempt, r.retry_at - now(), r.outcome);
    update app.message_queue set scheduled_at = now() where id = v_job;
  end loop;
end $$;

select ok((select wait between interval '5 seconds' and interval '10 seconds' from waits where attempt = 1),
  'the first failure waits between half the base and the base');
select ok((select wait between interval '10 seconds' and interval '20 seconds' from waits where attempt = 2),
  'the second failure waits twice as long');
select is(array(select outcome from waits order by attempt), array['retrying', 'retrying', 'dead_lettered'],
  'after max attempts the row is a dead letter');
select is((select count(*) from app.message_queue where id = :job), 0::bigint, 'the dead letter has left the queue');
select results_eq(
  $$select payload, attempts, last_error from app.failed_messages where id = $$ || :job,
  $$values ('{"event": "original"}'::jsonb, 3, 'timeout 3')$$,
  'the dead letter keeps the original payload, the attempt count and the last error');
select is(
  (select array(select e ->> 'error' from jsonb_array_elements(errors) e) from app.failed_messages where id = :job),
  array['timeout 1', 'timeout 2', 'timeout 3'],
  'the dead letter keeps every error');

select id as bad from app.enqueue('inbound_event', 'malformed', '{}') \gset
select app.claim(10, 30);
select results_eq(
  $$select outcome from app.fail('[{"id": $$ || :bad || $$, "error": "invalid_event", "retryable": false}]')$$,
  $$values ('dead_lettered')$$,
  'an error retrying cannot fix dead-letters the row at the first failure');

select id as idle from app.enqueue('inbound_event', 'idle', '{}') \gset
select is((select count(*) from app.fail(jsonb_build_array(jsonb_build_object('id', :idle, 'error', 'late')))),
  0::bigint, 'a failure reported for a row nobody holds is ignored');

set local role service_role;
select is((select count(*) from public.queue_fail('[]')), 0::bigint, 'service_role reports failures through the public API');
reset role;

select * from finish();
rollback;
