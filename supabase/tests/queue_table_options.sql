-- The hot queue table's storage and planning options, each of which keeps the queue fast under load (see the
-- migrations).
begin;
\ir helpers/setup.psql
select plan(4);

select ok((select 'vacuum_truncate=false' = any(reloptions) from pg_class where oid = 'app.message_queue'::regclass),
  'vacuum never truncates the queue, so it never takes the lock that would hold every enqueue back');
select ok((select 'fillfactor=80' = any(reloptions) from pg_class where oid = 'app.message_queue'::regclass),
  'its pages keep room for claims and retries to stay HOT updates');
select ok((select 'autovacuum_vacuum_cost_delay=1' = any(reloptions) from pg_class
    where oid = 'app.message_queue'::regclass),
  'autovacuum paces its round over a drained burst, so webhooks arriving meanwhile are not held behind its I/O');

select is(
  array(select p.proname::text from pg_proc p
    where p.pronamespace = 'app'::regnamespace
      and p.proname in ('claim', 'complete', 'fail', 'apply_inbound_batch')
      and 'plan_cache_mode=force_custom_plan' = any(p.proconfig)
    order by 1),
  array['apply_inbound_batch', 'claim', 'complete', 'fail'],
  'the functions that read the queue by id plan each call for its current size, never for the few pages it once had');

select * from finish();
rollback;
