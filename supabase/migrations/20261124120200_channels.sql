-- A channel is one WhatsApp number reached through a provider. Its secrets live apart, in app.channel_secrets,
-- which no client role can read; the channel row itself is safe to show to every member.
create table public.channels (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  provider text not null check (provider in ('evolution', 'cloud')),
  -- Evolution: the instance name; Cloud API: the phone_number_id
  external_id text not null check (length(external_id) between 1 and 200),
  name text not null check (length(btrim(name)) between 1 and 100),
  -- where the provider's API answers (the simulator, locally)
  base_url text,
  -- new conversations of this channel start in this department
  default_department_id uuid,
  -- from Evolution's connection.update; Cloud API numbers stay 'unknown' until something reports otherwise
  status text not null default 'unknown' check (status in ('unknown', 'open', 'connecting', 'close')),
  status_reason text,
  status_changed_at timestamptz,
  created_at timestamptz not null default now(),
  -- webhooks find their channel by provider and external id, so that pair names one channel platform-wide
  unique (provider, external_id),
  unique (id, tenant_id),
  foreign key (default_department_id, tenant_id) references public.departments (id, tenant_id)
    on delete set null (default_department_id)
);
create index channels_tenant_id_idx on public.channels (tenant_id);

create table app.channel_secrets (
  channel_id uuid primary key references public.channels (id) on delete cascade,
  -- Evolution: the secret our webhook URL or header carries (Evolution signs nothing)
  webhook_secret text,
  -- Evolution: the apikey for sends
  api_key text,
  -- Cloud API: HMAC key of X-Hub-Signature-256
  app_secret text,
  -- Cloud API: answer to the GET hub.verify_token handshake
  verify_token text,
  -- Cloud API: bearer token for sends
  access_token text,
  updated_at timestamptz not null default now()
);
alter table app.channel_secrets enable row level security;
grant select, insert, update, delete on app.channel_secrets to service_role;

alter table public.channels enable row level security;
grant select, delete,
  insert (tenant_id, provider, external_id, name, base_url, default_department_id),
  update (name, base_url, default_department_id)
  on public.channels to authenticated;
create policy "Members can read their tenant's channels" on public.channels
  for select to authenticated using ((select app.is_member(tenant_id)));
create policy "Admins can add channels" on public.channels
  for insert to authenticated with check ((select app.has_role(tenant_id, 'admin')));
create policy "Admins can change channels" on public.channels
  for update to authenticated
  using ((select app.has_role(tenant_id, 'admin'))) with check ((select app.has_role(tenant_id, 'admin')));
create policy "Admins can remove channels" on public.channels
  for delete to authenticated using ((select app.has_role(tenant_id, 'admin')));

-- How a webhook authenticates: find the channel by its id or its provider external id (whichever the URL
-- carries) and return what the handler checks the request against.
create function app.channel_for_webhook(p_provider text, p_channel text)
returns table (
  channel_id uuid, tenant_id uuid, provider text, external_id text, status text,
  webhook_secret text, app_secret text, verify_token text
)
language sql stable set search_path = '' as $$
  select c.id, c.tenant_id, c.provider, c.external_id, c.status, s.webhook_secret, s.app_secret, s.verify_token
  from public.channels c
  left join app.channel_secrets s on s.channel_id = c.id
  where c.provider = p_provider and (c.id = app.try_uuid(p_channel) or c.external_id = p_channel)
  order by c.id = app.try_uuid(p_channel) desc nulls last
  limit 1
$$;
grant execute on function app.channel_for_webhook(text, text) to service_role;
