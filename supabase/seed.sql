-- Demo data for local development: the tenant "Atende Demo" with two agents, a manager and an admin, two
-- departments, and one channel per provider pointing at the WhatsApp simulator (its default port, 54330).
-- `npm start` prints the logins listed here.
-- login: ana@atende.test / atende123 (agent)
-- login: bruno@atende.test / atende123 (agent)
-- login: carla@atende.test / atende123 (manager)
-- login: dora@atende.test / atende123 (admin: channels and members)
--
-- Fixed ids, so tests and the simulator can name them:
--   tenant      de000000-0000-4000-8000-000000000001
--   users       …000000000101 ana, …000000000102 bruno, …000000000103 carla, …000000000104 dora
--   departments …000000000201 Vendas, …000000000202 Suporte
--   channels    …000000000301 Evolution instance "atende-demo", …000000000302 Cloud API number 100000000000001

insert into auth.users (
  instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, raw_app_meta_data,
  raw_user_meta_data, created_at, updated_at, confirmation_token, recovery_token, email_change_token_new,
  email_change, email_change_token_current, phone_change, phone_change_token, reauthentication_token
)
select '00000000-0000-0000-0000-000000000000', u.id, 'authenticated', 'authenticated', u.email,
  extensions.crypt('atende123', extensions.gen_salt('bf')), now(),
  '{"provider": "email", "providers": ["email"]}', jsonb_build_object('name', u.name), now(), now(),
  '', '', '', '', '', '', '', ''
from (values
  ('de000000-0000-4000-8000-000000000101'::uuid, 'ana@atende.test', 'Ana'),
  ('de000000-0000-4000-8000-000000000102'::uuid, 'bruno@atende.test', 'Bruno'),
  ('de000000-0000-4000-8000-000000000103'::uuid, 'carla@atende.test', 'Carla'),
  ('de000000-0000-4000-8000-000000000104'::uuid, 'dora@atende.test', 'Dora')
) as u (id, email, name);

insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
select u.id::text, u.id,
  jsonb_build_object('sub', u.id::text, 'email', u.email, 'email_verified', true, 'phone_verified', false),
  'email', now(), now(), now()
from auth.users u
where u.email like '%@atende.test';

insert into public.tenants (id, name) values ('de000000-0000-4000-8000-000000000001', 'Atende Demo');

insert into public.members (tenant_id, user_id, role, display_name) values
  ('de000000-0000-4000-8000-000000000001', 'de000000-0000-4000-8000-000000000101', 'agent', 'Ana'),
  ('de000000-0000-4000-8000-000000000001', 'de000000-0000-4000-8000-000000000102', 'agent', 'Bruno'),
  ('de000000-0000-4000-8000-000000000001', 'de000000-0000-4000-8000-000000000103', 'manager', 'Carla'),
  ('de000000-0000-4000-8000-000000000001', 'de000000-0000-4000-8000-000000000104', 'admin', 'Dora');

insert into public.departments (id, tenant_id, name) values
  ('de000000-0000-4000-8000-000000000201', 'de000000-0000-4000-8000-000000000001', 'Vendas'),
  ('de000000-0000-4000-8000-000000000202', 'de000000-0000-4000-8000-000000000001', 'Suporte');

insert into public.department_members (department_id, tenant_id, user_id) values
  ('de000000-0000-4000-8000-000000000201', 'de000000-0000-4000-8000-000000000001', 'de000000-0000-4000-8000-000000000101'),
  ('de000000-0000-4000-8000-000000000202', 'de000000-0000-4000-8000-000000000001', 'de000000-0000-4000-8000-000000000102'),
  ('de000000-0000-4000-8000-000000000201', 'de000000-0000-4000-8000-000000000001', 'de000000-0000-4000-8000-000000000103'),
  ('de000000-0000-4000-8000-000000000202', 'de000000-0000-4000-8000-000000000001', 'de000000-0000-4000-8000-000000000103');

insert into public.channels (id, tenant_id, provider, external_id, name, base_url, default_department_id) values
  ('de000000-0000-4000-8000-000000000301', 'de000000-0000-4000-8000-000000000001', 'evolution', 'atende-demo',
   'WhatsApp Vendas (Evolution)', 'http://127.0.0.1:54330', 'de000000-0000-4000-8000-000000000201'),
  ('de000000-0000-4000-8000-000000000302', 'de000000-0000-4000-8000-000000000001', 'cloud', '100000000000001',
   'WhatsApp Suporte (Cloud API)', 'http://127.0.0.1:54330', 'de000000-0000-4000-8000-000000000202');

insert into app.channel_secrets (channel_id, webhook_secret, api_key, app_secret, verify_token, access_token) values
  ('de000000-0000-4000-8000-000000000301', 'atende-demo-evolution-webhook-secret', 'atende-demo-evolution-api-key',
   null, null, null),
  ('de000000-0000-4000-8000-000000000302', null, null, 'atende-demo-cloud-app-secret',
   'atende-demo-cloud-verify-token', 'atende-demo-cloud-access-token');
