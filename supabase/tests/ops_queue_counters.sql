-- The cards' figures move as the queue works: enqueued events wait, failures raise the error rate and the
-- scheduled retries, a hopeless job becomes a dead letter, a retried one waits again. The per-minute counters are
-- kept by the queue's own triggers, the gauges are sampled each minute for the sparklines, and folding old
-- minutes away changes no total.
begin;
\ir helpers/setup.psql
select plan(17);
select tests.create_world();
delete from app.message_queue;

create function pg_temp.card(p_name text) returns numeric language sql as $$
  select (app.queue_cards(tests.id('tenant_a')) -> p_name ->> 'value')::numeric
$$;
create function pg_temp.job(p_key text) returns bigint language sql as $$
  select id from app.enqueue('inbound_event', p_key,
    jsonb_build_object('channel_id', tests.id('chan_a'), 'event', jsonb_build_object('type', 'message')))
$$;

select pg_temp.job('c-1') as one \gset
select pg_temp.job('c-2') as two \gset
select pg_temp.job('c-3') as three \gset
select results_eq($$select tenant_id, channel_id from app.message_queue where id = $$ || :one,
  $$values (tests.id('tenant_a'), tests.id('chan_a'))$$, 'a queued event belongs to its channel''s tenant');
select is(pg_temp.card('waiting'), 3::numeric, 'three events wait');
select ok(pg_temp.card('oldest_waiting_seconds') >= 0, 'the oldest one''s age is known');

select app.claim(10, 30);
select app.complete(array[:one]::bigint[]);
select app.fail(jsonb_build_array(jsonb_build_object('id', :two, 'error', '503 from the provider')));
select is(pg_temp.card('waiting'), 2::numeric, 'a completed event leaves the waiting count');
select is(pg_temp.card('retries_scheduled'), 1::numeric, 'a failed one is a scheduled retry');
select is(pg_temp.card('error_rate_5m'), 50.0, 'one failure in two attempts is a 50% error rate');
select is(pg_temp.card('processing_rate_per_minute'), 0.2, 'one completion in five minutes');

select app.fail(jsonb_build_array(jsonb_build_object('id', :three, 'error', 'invalid_event', 'retryable', false)));
select is(pg_temp.card('dead_letters'), 1::numeric, 'a hopeless event is a dead letter');
select is(pg_temp.card('waiting'), 1::numeric, 'and no longer waits');
select is((app.queue_cards(tests.id('tenant_a')) -> 'dead_letters' ->> 'level'), 'warning',
  'any dead letter turns its card amber');
select is((app.queue_cards(tests.id('tenant_a')) -> 'dead_letters' -> 'series' ->> 59)::int, 1,
  'the sparkline ends at the current value');

select app.retry_dead_letter(array[:three]::bigint[]);
select results_eq($$select pg_temp.card('dead_letters'), pg_temp.card('waiting'), pg_temp.card('retries_scheduled')$$,
  $$values (0::numeric, 2::numeric, 2::numeric)$$, 'a retried dead letter waits again, as a retry');

select app.sample_queue();
select results_eq($$select waiting, retrying, dead from app.queue_samples where tenant_id = tests.id('tenant_a')$$,
  $$values (2, 2, 0)$$, 'the gauges are sampled each minute for the sparklines');

update app.queue_stats set minute = minute - interval '3 hours' where minute <> '-infinity';
select app.fold_queue_stats();
select is((select count(*) from app.queue_stats where minute <> '-infinity'), 0::bigint,
  'minutes older than two hours fold away');
select results_eq(
  $$select sum(completed), sum(failed), sum(retried), sum(dead_lettered) from app.queue_stats
    where tenant_id = tests.id('tenant_a')$$,
  $$values (1::bigint, 2::bigint, 1::bigint, 1::bigint)$$, 'and every total stays');
select is(pg_temp.card('error_rate_5m'), 0.0, 'while the last minutes'' error rate no longer counts them');

select is((select count(*) from app.queue_stats where tenant_id = tests.id('tenant_b')), 0::bigint,
  'another tenant''s counters never moved');

select * from finish();
rollback;
