-- Who may join which private Realtime topic. Realtime checks a join by reading realtime.messages (select
-- policy) and a client's first broadcast or presence track by writing it (insert policy), with
-- realtime.topic() set to the channel's topic.
--   tenant:<tenant id>         inbox changes; members of the tenant read, only the database writes
--   conversation:<id>          message changes and typing; members of the conversation's tenant read and write
--   agent:<user id>            personal notices; only that user reads, only the database writes
--   presence:<tenant id>       who is online; members read and write, broadcast and presence
create function app.can_use_topic(p_topic text, p_extension text, p_write boolean) returns boolean
language plpgsql stable security definer set search_path = '' as $$
declare
  v_kind text := split_part(p_topic, ':', 1);
  v_id uuid := app.try_uuid(substr(p_topic, length(v_kind) + 2));
begin
  if v_id is null then
    return false;
  end if;
  return case v_kind
    when 'tenant' then p_extension = 'broadcast' and not p_write and app.is_member(v_id)
    when 'conversation' then p_extension = 'broadcast'
      and app.is_member((select c.tenant_id from public.conversations c where c.id = v_id))
    when 'agent' then p_extension = 'broadcast' and not p_write and v_id = auth.uid()
    when 'presence' then p_extension in ('broadcast', 'presence') and app.is_member(v_id)
    else false
  end;
end;
$$;
grant execute on function app.can_use_topic(text, text, boolean) to authenticated;

create policy "Members can receive their tenant's topics" on realtime.messages
  for select to authenticated
  using (app.can_use_topic((select realtime.topic()), extension, false));
create policy "Members can broadcast and track on their tenant's shared topics" on realtime.messages
  for insert to authenticated
  with check (app.can_use_topic((select realtime.topic()), extension, true));
