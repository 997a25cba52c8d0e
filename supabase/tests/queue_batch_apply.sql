-- A claimed batch of inbound events is applied in one transaction. When every event applies, each is stored
-- once; when one cannot, it fails alone (to the dead letters if retrying cannot help, back to the queue with a
-- backoff otherwise) and the others are still stored once, with one event and one seq each.
begin;
\ir helpers/setup.psql
select plan(19);
select tests.create_world();
delete from app.message_queue;

create function pg_temp.queued(p_key text, p_job jsonb) returns bigint language sql as $$
  select id from app.enqueue('inbound_event', p_key, p_job, p_key)
$$;
create function pg_temp.job(p_event jsonb) returns jsonb language sql as $$
  select jsonb_build_object('channel_id', tests.id('chan_a'), 'event', p_event)
$$;
create function pg_temp.apply_claimed() returns jsonb language sql as $$
  select app.apply_inbound_batch(array(select id from app.claim(100, 30)))
$$;
create function pg_temp.stored(p_provider_id text) returns text language sql as $$
  select count(*) || ' message(s), seq ' || coalesce(string_agg(m.seq::text, ','), '-') || ', '
    || (select count(*) from public.events e where e.type = 'message.created'
          and e.message_id = any(array_agg(m.id))) || ' message.created event(s)'
  from public.messages m where m.provider_message_id = p_provider_id
$$;

select pg_temp.queued('ok1', pg_temp.job(tests.text_event('wamid.b1', '5511999990101', 'Primeira')));
select pg_temp.queued('ok2', pg_temp.job(tests.text_event('wamid.b2', '5511999990102', 'Segunda')));
select is(current_setting('synchronous_commit'), 'on', 'enqueuing leaves the commit waiting for the disk');
select is(pg_temp.apply_claimed(), '{"completed": 2, "failed": 0}', 'a batch of good events applies whole');
select is(current_setting('synchronous_commit'), 'off',
  'an applied batch commits without waiting for the disk: a lost commit leaves its events queued, to apply again');
select is(pg_temp.stored('wamid.b1') || ' / ' || pg_temp.stored('wamid.b2'),
  '1 message(s), seq 1, 1 message.created event(s) / 1 message(s), seq 1, 1 message.created event(s)',
  'each of its messages is stored once, with its event');

select pg_temp.queued('ok3', pg_temp.job(tests.text_event('wamid.b3', '5511999990101', 'Terceira'))) as ok3 \gset
select pg_temp.queued('malformed', pg_temp.job('{"type": "message", "contact": {"phone": "5511"}}')) as malformed \gset
select pg_temp.queued('transient', '{"channel_id": "not-a-uuid", "event": {}}') as transient \gset
select pg_temp.queued('ok4', pg_temp.job(tests.text_event('wamid.b4', '5511999990103', 'Quarta'))) as ok4 \gset
select is(pg_temp.apply_claimed(), '{"completed": 2, "failed": 2}',
  'in a batch with bad events, the good ones complete and the bad ones fail');
select is(pg_temp.stored('wamid.b3'), '1 message(s), seq 2, 1 message.created event(s)',
  'a good event of that batch is stored once, taking the next seq of its conversation');
select is(pg_temp.stored('wamid.b4'), '1 message(s), seq 1, 1 message.created event(s)',
  'and so is the good event after the bad ones');
select is((select count(*) from public.events where type = 'message.created'), 4::bigint,
  'the rolled-back first pass left no event behind');
select is(array(select id from app.message_queue order by id), array[:transient]::bigint[],
  'only the failed event that may still apply stays queued');
select ok((select scheduled_at > now() and attempts = 1 from app.message_queue where id = :transient),
  'it waits for its retry, its attempt counted');
select is((select last_error from app.failed_messages where id = :malformed), 'invalid_event',
  'the malformed event is a dead letter at once, with its error');
select is((select last_error from app.message_queue where id = :transient),
  'invalid input syntax for type uuid: "not-a-uuid"', 'the retryable one keeps its error for the retry');

select is(pg_temp.apply_claimed(), '{"completed": 0, "failed": 0}',
  'an event waiting for its retry is not claimed again before its time');

-- Broadcasts: a batch sends those of its applied changes together, once it has applied them.
delete from realtime.messages;
select max(id) as events_before from public.events \gset
select pg_temp.queued('b5', pg_temp.job(tests.text_event('wamid.b5', '5511999990101', 'Quinta')));
select pg_temp.queued('bad', pg_temp.job('{"type": "message", "contact": {"phone": "5511"}}'));
select pg_temp.queued('b6', pg_temp.job(tests.text_event('wamid.b6', '5511999990104', 'Sexta')));
select is(pg_temp.apply_claimed(), '{"completed": 2, "failed": 1}', 'a batch with a bad event applies the others');
select results_eq(
  $$select m.event, m.topic, m.payload - 'id' from realtime.messages m order by (m.payload ->> 'event_id')::bigint$$,
  format($$select e.type, e.topic, app.event_broadcast(e) from public.events e where e.id > %s order by e.id$$,
    :events_before),
  'every change it applied is broadcast to its topic, carrying its event');
select ok((select count(*) > 0 and bool_and((payload ->> 'id')::uuid = id) from realtime.messages),
  'each with its own id in the payload, as realtime.send adds');
select is((select count(*) from realtime.messages), (select count(*) from public.events where id > :events_before),
  'and nothing its rolled-back first pass logged is broadcast');

select app.apply_inbound_event(tests.id('chan_a'), tests.status_event('wamid.b6', 'read'));
select is((select count(*) from realtime.messages where event = 'message.status_changed'), 1::bigint,
  'after the batch, a change is broadcast at once again');

-- Broadcasts that cannot be sent are a warning, as with realtime.send: the batch still stores its events.
alter table realtime.messages add constraint refuse_all check (false) not valid;
select pg_temp.queued('b7', pg_temp.job(tests.text_event('wamid.b7', '5511999990105', 'Sétima')));
select is(pg_temp.apply_claimed()::text || ' / ' || pg_temp.stored('wamid.b7'),
  '{"failed": 0, "completed": 1} / 1 message(s), seq 1, 1 message.created event(s)',
  'a batch whose broadcasts fail still applies, and its events stay in the log for catch-up');
alter table realtime.messages drop constraint refuse_all;

select * from finish();
rollback;
