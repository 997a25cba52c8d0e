-- No query filters or sorts on events.payload (catch-up reads it by tenant, tx and id), yet ANALYZE sorted a
-- 30,000-row sample of it to build statistics: half of every autoanalyze of this append-only log (230 ms of
-- CPU for 250,000 events, 100 ms without), paid each time autovacuum visits a busy tenant's growing log.
alter table public.events alter column payload set statistics 0;
