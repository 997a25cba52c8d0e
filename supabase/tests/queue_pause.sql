-- An operator can hold processing back: webhooks keep storing, nothing is claimed, /health says so, and the
-- pause ends by itself.
begin;
\ir helpers/setup.psql
select plan(6);
delete from app.message_queue;

update app.queue_settings set paused_until = now() + interval '15 minutes';
select ok((select inserted from app.enqueue('inbound_event', 'k-paused', '{}', null, 0)),
  'a webhook is stored while processing is paused');
select is(array(select id from app.claim(10, 30)), '{}'::bigint[], 'nothing is claimed while paused');
select is((select attempts from app.message_queue where dedupe_key = 'k-paused'), 0,
  'the waiting row spends no attempt');
select ok((app.health() ->> 'paused_until')::timestamptz > now(), '/health reports the pause and its end');

-- The pause ran out.
update app.queue_settings set paused_until = now() - interval '1 second';
select is((select count(*)::int from app.claim(10, 30)), 1, 'the row is claimed once the pause is over');
select ok(app.health() -> 'paused_until' = 'null'::jsonb, 'an ended pause is not reported');

select * from finish();
rollback;
