-- Claiming hands out due rows by priority, then age; rows scheduled for later wait; a claimed row is leased and
-- not handed out again until its lease runs out (the visibility timeout).
begin;
\ir helpers/setup.psql
select plan(12);
delete from app.message_queue;

select id as old_low from app.enqueue('inbound_event', 'k-old-low', '{}', null, 0) \gset
select id as urgent from app.enqueue('inbound_event', 'k-urgent', '{}', null, 5) \gset
select id as new_low from app.enqueue('inbound_event', 'k-new-low', '{}', null, 0) \gset
select id as later from app.enqueue('inbound_event', 'k-later', '{}', null, 9, now() + interval '1 minute') \gset

select is(array(select id from app.claim(1, 30)), array[:urgent]::bigint[],
  'a batch of one takes the highest priority first');
select is(array(select id from app.claim(10, 30)), array[:old_low, :new_low]::bigint[],
  'then the rest by age, skipping rows scheduled for later');
select is(array(select id from app.claim(10, 30)), '{}'::bigint[],
  'leased rows are not handed out again');
select ok((select bool_and(attempts = 1 and leased_until = now() + interval '30 seconds')
           from app.message_queue where id in (:urgent, :old_low, :new_low)),
  'a claim counts the attempt and sets the lease');

update app.message_queue set scheduled_at = now() where id = :later;
select is(array(select id from app.claim(10, 30)), array[:later]::bigint[],
  'a row scheduled for later is handed out once it is due');

-- A worker crashed: its lease runs out and the row comes back.
update app.message_queue set leased_until = now() - interval '1 second' where id = :old_low;
select is(array(select id from app.claim(10, 30)), array[:old_low]::bigint[],
  'a row whose lease ran out is claimable again');
select is((select attempts from app.message_queue where id = :old_low), 2,
  'the second claim is the second attempt');

-- A row that brings its worker down every time runs out of attempts even though nobody reported a failure.
update app.message_queue set max_attempts = 2, leased_until = now() - interval '1 second' where id = :old_low;
select is(array(select id from app.claim(10, 30)), '{}'::bigint[],
  'a row whose lease ran out on its last attempt is not handed out again');
select is((select last_error from app.failed_messages where id = :old_low), 'lease_expired',
  'it is a dead letter, saying why');

select app.complete(array[:urgent, :new_low]::bigint[]);
select is((select count(*) from app.message_queue where id in (:urgent, :new_low)), 0::bigint,
  'complete removes a batch of rows');
select is(app.complete(array[:urgent]::bigint[]), 0, 'completing a row twice is harmless');

set local role service_role;
select is((select count(*) from public.queue_claim(10, 30)), 0::bigint,
  'service_role claims through the public API');
reset role;

select * from finish();
rollback;
