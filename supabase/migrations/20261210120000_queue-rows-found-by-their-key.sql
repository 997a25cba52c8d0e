-- Statements that find queue rows by id (completing a batch, leasing it, reading it to apply) use the primary key,
-- whatever the statistics say. The claim index (priority, id) and the tenant index (tenant_id, id) also hold id,
-- as their second column: they can answer `id = any(…)` only by reading every entry and checking it against the
-- list. The planner avoids that while it knows how many rows the queue holds. But the queue is often empty when
-- autovacuum visits it, and it keeps its pages (vacuum_truncate is off), so its statistics then read "no rows on
-- these pages", and the planner scales that to the queue's size at any moment: nothing. Every index then looks
-- free, and app.complete's delete picked the tenant index: each batch's completion read the whole index, 22-51 ms
-- a batch instead of under one (auto_explain, 390 of 400 batches of one drain), and the drain ran at 1,100-1,900
-- messages a second instead of 2,400-3,300, until autovacuum's next visit found rows again.
--
-- Each index now states a condition that is true of every row, so that only statements that imply it may use it:
-- a claim's `scheduled_at <= now()` implies `scheduled_at is not null`, a tenant's `tenant_id = $1` implies
-- `tenant_id is not null`. A statement that names only ids implies neither, so the primary key is its only index.
-- Rows with no tenant (enqueued without a channel) are never looked up by tenant.
drop index app.message_queue_claim_idx;
create index message_queue_claim_idx on app.message_queue (priority desc, id) where scheduled_at is not null;

drop index app.message_queue_tenant_idx;
create index message_queue_tenant_idx on app.message_queue (tenant_id, id) where tenant_id is not null;
