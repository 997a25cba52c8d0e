-- The private schema `app` holds what the API must never expose (the queue, dead letters, channel secrets) and the
-- internal functions. PostgREST serves only `public`, which is the API surface.
create schema app;

-- RLS policies call app predicates as the requesting role, and the processor calls app functions as service_role,
-- so both may resolve names in the schema; no table in it is granted to a client role.
grant usage on schema app to authenticated, service_role;

-- Nothing new is callable or readable by default: each function grants execute, and each table grants its
-- privileges, to exactly the roles that use it, right where it is defined.
alter default privileges revoke execute on functions from public;
alter default privileges in schema public revoke execute on functions from anon, authenticated, service_role;
alter default privileges in schema public revoke all on tables from anon, authenticated;
alter default privileges in schema public revoke all on sequences from anon, authenticated;
-- Extensions installed later (pgTAP, for one) keep the usual public execute right on their own functions.
alter default privileges in schema extensions grant execute on functions to public;

-- Parses a uuid without raising, for ids that arrive inside text (topic names, webhook paths).
create function app.try_uuid(p_text text) returns uuid
language sql immutable set search_path = '' as $$
  select case when p_text ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then p_text::uuid end
$$;
grant execute on function app.try_uuid(text) to authenticated, service_role;
