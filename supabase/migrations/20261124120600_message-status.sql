-- Delivery status only moves forward: pending < sent < delivered < read. failed is terminal, except that a later
-- delivered or read proves the message arrived after all. Providers deliver receipts out of order (read without
-- delivered, delivered after failed), so every receipt goes through this one rule.
create function app.next_message_status(p_current text, p_incoming text) returns text
language sql immutable set search_path = '' as $$
  select case
    when p_incoming = 'failed' then case when p_current in ('pending', 'sent') then 'failed' else p_current end
    when p_current = 'failed' then case when p_incoming in ('delivered', 'read') then p_incoming else p_current end
    when array_position(array['pending', 'sent', 'delivered', 'read'], p_incoming)
       > array_position(array['pending', 'sent', 'delivered', 'read'], p_current) then p_incoming
    else p_current
  end
$$;
grant execute on function app.next_message_status(text, text) to service_role;

-- Applies one receipt to a stored message: the status by the rule above, and the time of every stage the
-- receipt proves (read implies delivered and sent). Returns whether anything changed.
create function app.apply_receipt(p_message_id uuid, p_status text, p_at timestamptz, p_error jsonb)
returns boolean
language plpgsql volatile set search_path = '' as $$
declare
  m record;
  v_status text;
begin
  select * into m from public.messages where id = p_message_id for update;
  v_status := app.next_message_status(m.status, p_status);
  update public.messages set
    status = v_status,
    sent_at = coalesce(m.sent_at, case when p_status in ('sent', 'delivered', 'read') then p_at end),
    delivered_at = coalesce(m.delivered_at, case when p_status in ('delivered', 'read') then p_at end),
    read_at = coalesce(m.read_at, case when p_status = 'read' then p_at end),
    failed_at = case when v_status = 'failed' then coalesce(m.failed_at, p_at) else m.failed_at end,
    error = case when v_status = 'failed' and p_status = 'failed' then coalesce(p_error, m.error) else m.error end
  where id = p_message_id
    and (v_status <> m.status
      or (m.sent_at is null and p_status in ('sent', 'delivered', 'read'))
      or (m.delivered_at is null and p_status in ('delivered', 'read'))
      or (m.read_at is null and p_status = 'read')
      or (v_status = 'failed' and p_status = 'failed' and m.error is null and p_error is not null));
  return found;
end;
$$;
grant execute on function app.apply_receipt(uuid, text, timestamptz, jsonb) to service_role;

-- Receipts that arrive before their message (a Cloud API `sent` before we stored the send response, an Evolution
-- messages.update before messages.upsert) wait here and are applied the moment the message appears.
create table app.early_receipts (
  channel_id uuid not null references public.channels (id) on delete cascade,
  provider_message_id text not null,
  status text not null check (status in ('sent', 'delivered', 'read', 'failed')),
  occurred_at timestamptz not null,
  error jsonb,
  received_at timestamptz not null default now(),
  primary key (channel_id, provider_message_id, status)
);
create index early_receipts_received_at_idx on app.early_receipts using brin (received_at);
alter table app.early_receipts enable row level security;
grant select, insert, update, delete on app.early_receipts to service_role;

-- Serialises "is the message there yet?" between a receipt and its message, so a receipt is either applied to
-- the message or kept where the message's insert will find it; never lost between the two.
create function app.lock_provider_message(p_channel_id uuid, p_provider_message_id text) returns void
language sql volatile set search_path = '' as $$
  select pg_advisory_xact_lock(hashtextextended(p_channel_id::text || '/' || p_provider_message_id, 0))
$$;
grant execute on function app.lock_provider_message(uuid, text) to service_role;

create function app.message_apply_early_receipts() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  r record;
begin
  perform app.lock_provider_message(new.channel_id, new.provider_message_id);
  for r in
    delete from app.early_receipts e
    where e.channel_id = new.channel_id and e.provider_message_id = new.provider_message_id
    returning e.status, e.occurred_at, e.error
  loop
    perform app.apply_receipt(new.id, r.status, r.occurred_at, r.error);
  end loop;
  return null;
end;
$$;
create trigger message_apply_early_receipts after insert or update of provider_message_id on public.messages
  for each row when (new.provider_message_id is not null)
  execute function app.message_apply_early_receipts();
