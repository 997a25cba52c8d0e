-- The hot queue table's storage options, each of which keeps webhooks fast under load (see the migrations).
begin;
\ir helpers/setup.psql
select plan(2);

select ok((select 'vacuum_truncate=false' = any(reloptions) from pg_class where oid = 'app.message_queue'::regclass),
  'vacuum never truncates the queue, so it never takes the lock that would hold every enqueue back');
select ok((select 'fillfactor=80' = any(reloptions) from pg_class where oid = 'app.message_queue'::regclass),
  'its pages keep room for claims and retries to stay HOT updates');

select * from finish();
rollback;
