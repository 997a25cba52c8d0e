-- Queue rows and dead letters belong to a tenant through their channel: an inbound event names its channel, an
-- outbound job its message. The owner is stamped once, when the row is written, so monitoring counts and filters
-- by tenant and channel without reading payloads. Rows of neither shape (tests, future kinds) stay ownerless.
alter table app.message_queue add column tenant_id uuid, add column channel_id uuid;
alter table app.failed_messages add column tenant_id uuid, add column channel_id uuid;

-- Runs on every enqueue, so it stays one indexed lookup with plans plpgsql caches (an SQL helper with its own
-- search_path would be planned again on every call).
create function app.stamp_queue_row_owner() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_channel text := new.payload ->> 'channel_id';
  v_message text := new.payload ->> 'message_id';
  v_uuid constant text := '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
begin
  if new.tenant_id is null and v_channel ~* v_uuid then
    select c.tenant_id, c.id into new.tenant_id, new.channel_id from public.channels c where c.id = v_channel::uuid;
  elsif new.tenant_id is null and v_message ~* v_uuid then
    select m.tenant_id, m.channel_id into new.tenant_id, new.channel_id
    from public.messages m where m.id = v_message::uuid;
  end if;
  return new;
end;
$$;
create trigger message_queue_owner before insert on app.message_queue
  for each row execute function app.stamp_queue_row_owner();
create trigger failed_message_owner before insert on app.failed_messages
  for each row execute function app.stamp_queue_row_owner();

-- Rows written before this migration (the queue holds only work still to do, so this is small).
update app.message_queue q set tenant_id = c.tenant_id, channel_id = c.id
from public.channels c where c.id = app.try_uuid(q.payload ->> 'channel_id');
update app.message_queue q set tenant_id = m.tenant_id, channel_id = m.channel_id
from public.messages m where m.id = app.try_uuid(q.payload ->> 'message_id');
update app.failed_messages f set tenant_id = c.tenant_id, channel_id = c.id
from public.channels c where c.id = app.try_uuid(f.payload ->> 'channel_id');
update app.failed_messages f set tenant_id = m.tenant_id, channel_id = m.channel_id
from public.messages m where m.id = app.try_uuid(f.payload ->> 'message_id');

-- A tenant's oldest waiting row, and its dead letters newest first (all, or only those still awaiting a decision).
create index message_queue_tenant_idx on app.message_queue (tenant_id, id);
create index failed_messages_tenant_idx on app.failed_messages (tenant_id, failed_at desc, id desc);
create index failed_messages_tenant_active_idx on app.failed_messages (tenant_id, failed_at desc, id desc)
  where discarded_at is null;
