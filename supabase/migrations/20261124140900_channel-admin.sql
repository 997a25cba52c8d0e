-- Integrators connect numbers: an admin creates a channel and its secrets in one call, reads its setup with the
-- secrets masked, rotates or replaces a secret, and follows a test event. Secrets only ever leave the database
-- once, in the answer to the call that generated them; the channels function reads them with its own connection
-- to sign test events.

alter table public.channels add column waba_id text check (waba_id ~ '^[0-9]{1,32}$');
grant insert (waba_id), update (waba_id) on public.channels to authenticated;

-- A rotated webhook secret (Evolution) or App Secret (Cloud API) keeps working until the grace deadline, so the
-- provider can be switched over without losing a webhook.
alter table app.channel_secrets
  add column previous_webhook_secret text,
  add column previous_app_secret text,
  add column previous_secret_expires_at timestamptz;

drop function app.channel_for_webhook(text, text);
create function app.channel_for_webhook(p_provider text, p_channel text)
returns table (
  channel_id uuid, tenant_id uuid, provider text, external_id text, status text,
  webhook_secret text, app_secret text, verify_token text,
  previous_webhook_secret text, previous_app_secret text, previous_secret_expires_at timestamptz
)
language sql stable set search_path = '' as $$
  select c.id, c.tenant_id, c.provider, c.external_id, c.status, s.webhook_secret, s.app_secret, s.verify_token,
    case when s.previous_secret_expires_at > now() then s.previous_webhook_secret end,
    case when s.previous_secret_expires_at > now() then s.previous_app_secret end,
    case when s.previous_secret_expires_at > now() then s.previous_secret_expires_at end
  from public.channels c
  left join app.channel_secrets s on s.channel_id = c.id
  where c.provider = p_provider and (c.id = app.try_uuid(p_channel) or c.external_id = p_channel)
  order by c.id = app.try_uuid(p_channel) desc nulls last
  limit 1
$$;
grant execute on function app.channel_for_webhook(text, text) to service_role;

create function app.new_secret() returns text
language sql volatile set search_path = '' as $$
  select encode(extensions.gen_random_bytes(24), 'hex')
$$;

-- Enough of a secret to recognise it, never enough to use it.
create function app.secret_hint(p_secret text) returns jsonb
language sql immutable set search_path = '' as $$
  select jsonb_build_object('set', p_secret is not null,
    'hint', case when length(p_secret) >= 12 then '…' || right(p_secret, 4) end)
$$;

create function app.require_admin(p_tenant_id uuid) returns void
language plpgsql stable set search_path = '' as $$
begin
  if not app.has_role(p_tenant_id, 'admin') then
    raise exception using errcode = 'PT403', message = 'not_allowed', detail = 'Only admins of this tenant do this.';
  end if;
end;
$$;

-- The channel an admin acts on, or PT404 for anyone who is not a member of its tenant.
create function app.channel_for_admin(p_channel_id uuid) returns public.channels
language plpgsql stable set search_path = '' as $$
declare
  v public.channels;
begin
  select * into v from public.channels c where c.id = p_channel_id;
  if not found or not app.is_member(v.tenant_id) then
    raise exception using errcode = 'PT404', message = 'channel_not_found',
      detail = 'No channel with this id is visible to you.';
  end if;
  perform app.require_admin(v.tenant_id);
  return v;
end;
$$;

-- secrets: Evolution {api_key}; Cloud API {access_token, app_secret, verify_token?}. The Evolution webhook secret
-- and a missing verify token are generated here; the answer carries them once, under `secrets`.
create function public.create_channel(
  tenant_id uuid, provider text, name text, external_id text, base_url text default null,
  waba_id text default null, default_department_id uuid default null, secrets jsonb default '{}'
) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_channel public.channels;
  v_required text[] := case provider when 'evolution' then array['api_key']
                                      when 'cloud' then array['access_token', 'app_secret'] end;
  v_missing text;
  v_webhook_secret text := case when provider = 'evolution' then app.new_secret() end;
  v_verify_token text := case when provider = 'cloud'
    then coalesce(nullif(btrim(secrets ->> 'verify_token'), ''), app.new_secret()) end;
begin
  perform app.require_admin(create_channel.tenant_id);
  if v_required is null then
    raise exception using errcode = 'PT400', message = 'invalid_provider', detail = 'evolution or cloud';
  end if;
  select r into v_missing from unnest(v_required) r where nullif(btrim(secrets ->> r), '') is null limit 1;
  if v_missing is not null then
    raise exception using errcode = 'PT400', message = 'missing_secret', detail = v_missing;
  end if;
  if provider = 'evolution' and coalesce(base_url, '') !~ '^https?://' then
    raise exception using errcode = 'PT400', message = 'invalid_base_url',
      detail = 'Evolution channels need the http(s) address of the Evolution API.';
  end if;
  if provider = 'cloud' and external_id !~ '^[0-9]+$' then
    raise exception using errcode = 'PT400', message = 'invalid_external_id',
      detail = 'A Cloud API phone number id is digits only.';
  end if;
  begin
    insert into public.channels (tenant_id, provider, external_id, name, base_url, waba_id, default_department_id)
    values (create_channel.tenant_id, provider, btrim(external_id), btrim(name), nullif(btrim(base_url), ''),
      nullif(btrim(waba_id), ''), default_department_id)
    returning * into v_channel;
  exception
    when unique_violation then
      raise exception using errcode = 'PT409', message = 'channel_exists',
        detail = 'Another channel already uses this instance name or phone number id.';
    when foreign_key_violation then
      raise exception using errcode = 'PT422', message = 'department_not_found', detail = default_department_id::text;
    when check_violation then
      raise exception using errcode = 'PT400', message = 'invalid_channel',
        detail = 'Check the name (1–100 characters), the instance name or phone number id, and the WABA id.';
  end;
  insert into app.channel_secrets (channel_id, webhook_secret, api_key, app_secret, verify_token, access_token)
  values (v_channel.id, v_webhook_secret, nullif(btrim(secrets ->> 'api_key'), ''),
    nullif(btrim(secrets ->> 'app_secret'), ''), v_verify_token, nullif(btrim(secrets ->> 'access_token'), ''));
  perform app.record_event(v_channel.tenant_id, 'channel.created', 'tenant:' || v_channel.tenant_id,
    to_jsonb(v_channel), p_channel_id => v_channel.id);
  return jsonb_build_object('channel', to_jsonb(v_channel),
    'secrets', jsonb_strip_nulls(jsonb_build_object('webhook_secret', v_webhook_secret, 'verify_token', v_verify_token)));
end;
$$;
grant execute on function public.create_channel(uuid, text, text, text, text, text, uuid, jsonb) to authenticated;

-- The channel with its secrets masked, for the setup page.
create function public.channel_setup(channel_id uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_channel public.channels := app.channel_for_admin(channel_setup.channel_id);
  s app.channel_secrets;
begin
  select * into s from app.channel_secrets x where x.channel_id = v_channel.id;
  return jsonb_build_object('channel', to_jsonb(v_channel), 'secrets', jsonb_build_object(
    'webhook_secret', app.secret_hint(s.webhook_secret), 'api_key', app.secret_hint(s.api_key),
    'app_secret', app.secret_hint(s.app_secret), 'verify_token', app.secret_hint(s.verify_token),
    'access_token', app.secret_hint(s.access_token),
    'previous_secret_valid_until', case when s.previous_secret_expires_at > now() then s.previous_secret_expires_at end));
end;
$$;
grant execute on function public.channel_setup(uuid) to authenticated;

-- Rotates or replaces one secret. webhook_secret (Evolution) and verify_token (Cloud API) are generated here and
-- answered once; app_secret, access_token and api_key come from the provider, as `value`. A rotated webhook
-- secret or App Secret stays valid for grace_seconds (up to 7 days), so webhooks already on their way still land.
create function public.set_channel_secret(
  channel_id uuid, secret text, value text default null, grace_seconds integer default 86400
) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_channel public.channels := app.channel_for_admin(set_channel_secret.channel_id);
  v_value text := nullif(btrim(coalesce(value, '')), '');
  v_generated boolean := secret in ('webhook_secret', 'verify_token');
  v_graced boolean := secret in ('webhook_secret', 'app_secret');
  v_until timestamptz := now() + make_interval(secs => greatest(least(grace_seconds, 604800), 0));
  s app.channel_secrets;
begin
  if (v_channel.provider, secret) not in (('evolution', 'webhook_secret'), ('evolution', 'api_key'),
      ('cloud', 'app_secret'), ('cloud', 'access_token'), ('cloud', 'verify_token')) then
    raise exception using errcode = 'PT400', message = 'invalid_secret',
      detail = format('A %s channel has no secret named %s.', v_channel.provider, secret);
  end if;
  if v_generated then
    v_value := app.new_secret();
  elsif v_value is null then
    raise exception using errcode = 'PT400', message = 'missing_secret', detail = secret;
  end if;
  insert into app.channel_secrets as x (channel_id) values (v_channel.id) on conflict do nothing;
  update app.channel_secrets x set
    previous_webhook_secret = case when secret = 'webhook_secret' then x.webhook_secret else x.previous_webhook_secret end,
    previous_app_secret = case when secret = 'app_secret' then x.app_secret else x.previous_app_secret end,
    previous_secret_expires_at = case when v_graced then v_until else x.previous_secret_expires_at end,
    webhook_secret = case when secret = 'webhook_secret' then v_value else x.webhook_secret end,
    app_secret = case when secret = 'app_secret' then v_value else x.app_secret end,
    verify_token = case when secret = 'verify_token' then v_value else x.verify_token end,
    access_token = case when secret = 'access_token' then v_value else x.access_token end,
    api_key = case when secret = 'api_key' then v_value else x.api_key end,
    updated_at = now()
  where x.channel_id = v_channel.id
  returning * into s;
  perform app.record_event(v_channel.tenant_id, 'channel.secret_rotated', 'tenant:' || v_channel.tenant_id,
    jsonb_build_object('channel_id', v_channel.id, 'secret', secret,
      'previous_valid_until', case when v_graced then v_until end),
    p_channel_id => v_channel.id);
  return jsonb_strip_nulls(jsonb_build_object('channel', to_jsonb(v_channel), 'secret', secret,
    'value', case when v_generated then v_value end,
    'previous_valid_until', case when v_graced then v_until end));
end;
$$;
grant execute on function public.set_channel_secret(uuid, text, text, integer) to authenticated;

-- How far a test event (or any customer message) got: sent (nothing yet), received (the webhook stored it in the
-- queue), applied (it is a message in a conversation), or dead_lettered.
create function public.channel_test_event(channel_id uuid, provider_message_id text) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_channel public.channels := app.channel_for_admin(channel_test_event.channel_id);
  v_key text := v_channel.id || ':message:' || provider_message_id;
  v_message record;
begin
  select m.id, m.conversation_id into v_message
  from public.messages m where m.channel_id = v_channel.id and m.provider_message_id = channel_test_event.provider_message_id;
  if found then
    return jsonb_build_object('stage', 'applied', 'message_id', v_message.id,
      'conversation_id', v_message.conversation_id);
  end if;
  if exists (select 1 from app.failed_messages f where f.tenant_id = v_channel.tenant_id and f.dedupe_key = v_key
             and f.discarded_at is null) then
    return jsonb_build_object('stage', 'dead_lettered');
  end if;
  return jsonb_build_object('stage',
    case when exists (select 1 from app.queue_keys k where k.dedupe_key = v_key) then 'received' else 'sent' end);
end;
$$;
grant execute on function public.channel_test_event(uuid, text) to authenticated;
