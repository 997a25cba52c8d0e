-- The queue functions plan each call for the table as it is now. PL/pgSQL keeps one generic plan per statement
-- for the life of a connection, re-planned only when vacuum or analyze next visits the table. A processor
-- connection that first ran while the queue held a few pages kept `Seq Scan on message_queue … Filter: (id =
-- ANY ($4))` for its claims, completions and batch reads. The queue then grew to thousands of pages, and a drain ran
-- at half its rate, each of those statements taking 30-80 ms instead of under one, until autovacuum's next
-- visit (auto_explain in the ingest bench). A custom plan sees the table's current size on every call, so the
-- primary key is used however big the queue has grown; planning costs well under a millisecond a batch.
-- apply_inbound_event sets its own plan_cache_mode, so the per-message statements below it keep their plans.
alter function app.claim(integer, integer) set plan_cache_mode = force_custom_plan;
alter function app.complete(bigint[]) set plan_cache_mode = force_custom_plan;
alter function app.fail(jsonb) set plan_cache_mode = force_custom_plan;
alter function app.apply_inbound_batch(bigint[]) set plan_cache_mode = force_custom_plan;
