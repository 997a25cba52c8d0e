-- The hot queue table's storage and planning options, each of which keeps the queue fast under load (see the
-- migrations).
begin;
\ir helpers/setup.psql
select plan(6);

select ok((select 'vacuum_truncate=false' = any(reloptions) from pg_class where oid = 'app.message_queue'::regclass),
  'vacuum never truncates the queue, so it never takes the lock that would hold every enqueue back');

-- Rows the size of a real event (about 650 bytes), leased in one claim as the processor does.
delete from app.message_queue;
select n_tup_upd as upd_before, n_tup_hot_upd as hot_before from pg_stat_xact_user_tables
where relid = 'app.message_queue'::regclass \gset
select count(*) from generate_series(1, 60) i,
  app.enqueue('inbound_event', 'k-hot-' || i, jsonb_build_object('event', repeat('x', 600)), null, 0);
select is((select count(*)::int from app.claim(60, 30)), 60, 'a claim leases a whole run of neighbouring rows');
select is(
  (select array[n_tup_upd - :upd_before, n_tup_hot_upd - :hot_before]::int[] from pg_stat_xact_user_tables
    where relid = 'app.message_queue'::regclass),
  array[60, 60],
  'every lease is a HOT update: the new version fits on its page and no index gains an entry');
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

-- The queue is often empty when autovacuum takes its statistics, and it keeps its pages, so the planner then
-- believes it holds nothing at any size and every index looks free. A statement that names rows by id must still
-- find them through the primary key: an index holding id as a later column would be read whole, entry by entry.
-- So every other index that holds id states a condition that such a statement does not imply (a partial index).
select is(
  array(select i.indexrelid::regclass::text from pg_index i
    where i.indrelid = 'app.message_queue'::regclass and not i.indisprimary and i.indpred is null
      and (select a.attnum from pg_attribute a where a.attrelid = i.indrelid and a.attname = 'id')
        = any(i.indkey::int2[])
    order by 1),
  '{}'::text[],
  'no index but the primary key can serve a lookup by id, whatever the statistics say');

select * from finish();
rollback;
