-- The inbox pages conversations by `last_message_at desc nulls last, id desc` (a keyset on both). The first
-- index (tenant_id, last_message_at desc) sorts nulls first, so it could not serve that order: every page joined
-- contact and channel for all of a tenant's conversations, then sorted them (650 ms a page at 10,000
-- conversations, measured by `npm run bench -- console`). In the query's own order, a page reads its 50 rows.
create index conversations_inbox_order_idx on public.conversations (tenant_id, last_message_at desc nulls last, id desc);
drop index public.conversations_inbox_idx;
