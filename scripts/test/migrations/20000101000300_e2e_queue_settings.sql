-- Test-only: the console's e2e reaches the stack through its HTTP API alone, so to see a send run out of attempts
-- in seconds it shortens the queue's retries for the length of one test (what ops.test.ts does over SQL) through
-- this function, open to the service role only. Answers the settings it replaced, to be put back afterwards.
-- plpgsql, so it may be created before the project's migrations that make app.queue_settings.
create function public.e2e_queue_settings(settings jsonb) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_before jsonb;
begin
  select jsonb_build_object('backoff_base', s.backoff_base, 'backoff_cap', s.backoff_cap,
    'max_attempts', s.max_attempts)
  into v_before from app.queue_settings s;
  update app.queue_settings s set
    backoff_base = coalesce((settings ->> 'backoff_base')::interval, s.backoff_base),
    backoff_cap = coalesce((settings ->> 'backoff_cap')::interval, s.backoff_cap),
    max_attempts = coalesce((settings ->> 'max_attempts')::integer, s.max_attempts);
  return v_before;
end;
$$;
revoke execute on function public.e2e_queue_settings(jsonb) from public, anon, authenticated;
grant execute on function public.e2e_queue_settings(jsonb) to service_role;
