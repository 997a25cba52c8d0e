-- Test-only: a tenant membership table and the RLS policies on realtime.messages that the Realtime tests join
-- private channels through. Topic `tenant:<name>` is open to the members of tenant <name>: they may receive
-- (select) and send or track (insert), on broadcast and presence alike.
create table public.realtime_test_members (
  user_id uuid not null,
  tenant text not null,
  primary key (user_id, tenant)
);
alter table public.realtime_test_members enable row level security;
create policy "Users can see their own realtime test memberships" on public.realtime_test_members
  for select to authenticated using (user_id = (select auth.uid()));

create function public.realtime_test_is_member(p_topic text) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.realtime_test_members m
    where m.user_id = auth.uid() and p_topic = 'tenant:' || m.tenant
  )
$$;
revoke execute on function public.realtime_test_is_member(text) from public, anon;
grant execute on function public.realtime_test_is_member(text) to authenticated;

create policy "Test tenant members can receive on their tenant topic" on realtime.messages
  for select to authenticated
  using ((select public.realtime_test_is_member((select realtime.topic()))));
create policy "Test tenant members can send on their tenant topic" on realtime.messages
  for insert to authenticated
  with check ((select public.realtime_test_is_member((select realtime.topic()))));

-- A table whose changes reach its tenant's topic through realtime.broadcast_changes, as Supabase's docs do it.
create table public.realtime_test_notes (
  id bigint generated always as identity primary key,
  tenant text not null,
  body text not null
);
alter table public.realtime_test_notes enable row level security;

create function public.realtime_test_notes_broadcast() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform realtime.broadcast_changes('tenant:' || coalesce(new.tenant, old.tenant), tg_op, tg_op,
    tg_table_name, tg_table_schema, new, old);
  return null;
end;
$$;
revoke execute on function public.realtime_test_notes_broadcast() from public, anon, authenticated;
create trigger broadcast_changes after insert or update or delete on public.realtime_test_notes
  for each row execute function public.realtime_test_notes_broadcast();
