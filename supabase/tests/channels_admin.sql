-- Integrators connect numbers: an admin creates a channel and its secrets in one call and sees generated secrets
-- once; managers, agents and other tenants cannot; a rotated secret keeps working until its grace ends; a test
-- event can be followed from sent to applied.
begin;
\ir helpers/setup.psql
select plan(22);
select tests.create_world();

select tests.authenticate_as('dora');
select public.create_channel(tests.id('tenant_a'), 'evolution', 'Loja Centro', 'loja-centro-tests',
  'https://evolution.example.test', secrets => '{"api_key": "evo-instance-key"}') as evo \gset
select (:'evo'::jsonb -> 'channel' ->> 'id') as evo_id, (:'evo'::jsonb -> 'secrets' ->> 'webhook_secret') as evo_secret \gset
select matches(:'evo_secret'::text, '^[0-9a-f]{48}$', 'an Evolution channel gets a generated webhook secret, shown once');
select ok(not (:'evo'::jsonb -> 'channel' ? 'api_key'), 'the channel row carries no secret');
select public.create_channel(tests.id('tenant_a'), 'cloud', 'Suporte', '106540352242922', waba_id => '102290129340398',
  secrets => '{"access_token": "EAAG-token", "app_secret": "meta-app-secret"}') as cloud \gset
select (:'cloud'::jsonb -> 'channel' ->> 'id') as cloud_id \gset
select matches((:'cloud'::jsonb -> 'secrets' ->> 'verify_token')::text, '^[0-9a-f]{48}$',
  'a Cloud API channel without a verify token gets one');
select is(:'cloud'::jsonb -> 'channel' ->> 'waba_id', '102290129340398', 'and keeps its WABA id');
select throws_ok($$select public.create_channel(tests.id('tenant_a'), 'cloud', 'Sem segredo', '1065', secrets => '{"access_token": "t"}')$$,
  'PT400', 'missing_secret', 'a Cloud API channel needs its App Secret');
select throws_ok($$select public.create_channel(tests.id('tenant_a'), 'evolution', 'De novo', 'loja-centro-tests',
  'https://evolution.example.test', secrets => '{"api_key": "k"}')$$,
  'PT409', 'channel_exists', 'an instance name names one channel');
select is(public.channel_setup(:'evo_id') -> 'secrets' -> 'webhook_secret',
  jsonb_build_object('set', true, 'hint', '…' || right(:'evo_secret', 4)), 'afterwards the secret shows masked');
select tests.clear_authentication();

select results_eq(format('select webhook_secret, api_key from app.channel_secrets where channel_id = %L', :'evo_id'),
  format('values (%L, %L)', :'evo_secret', 'evo-instance-key'), 'the secrets are stored apart from the channel');
select results_eq($$select type from public.events where type = 'channel.created'$$,
  $$values ('channel.created'), ('channel.created')$$, 'each creation lands in the tenant''s log');

select tests.authenticate_as('carla');
select throws_ok($$select public.create_channel(tests.id('tenant_a'), 'evolution', 'Da Carla', 'carla-tests',
  'https://evolution.example.test', secrets => '{"api_key": "k"}')$$, 'PT403', 'not_allowed',
  'a manager does not create channels');
select throws_ok(format('select public.channel_setup(%L)', :'evo_id'), 'PT403', 'not_allowed',
  'nor reads their setup');
select tests.authenticate_as('zeca');
select throws_ok(format('select public.channel_setup(%L)', :'evo_id'), 'PT404', 'channel_not_found',
  'another tenant does not even learn the channel exists');
select throws_ok(format('select public.set_channel_secret(%L, %L)', :'evo_id', 'webhook_secret'), 'PT404',
  'channel_not_found', 'nor rotates its secret');

select tests.authenticate_as('dora');
select public.set_channel_secret(:'evo_id', 'webhook_secret', grace_seconds => 3600) as rotated \gset
select isnt(:'rotated'::jsonb ->> 'value', :'evo_secret'::text, 'rotation answers a new webhook secret');
select tests.clear_authentication();
select results_eq(format('select webhook_secret, previous_webhook_secret from app.channel_for_webhook(%L, %L)',
  'evolution', 'loja-centro-tests'), format('values (%L, %L)', :'rotated'::jsonb ->> 'value', :'evo_secret'),
  'webhooks accept the new secret and, during the grace, the old one');
update app.channel_secrets set previous_secret_expires_at = now() - interval '1 second' where channel_id = :'evo_id';
select results_eq(format('select previous_webhook_secret from app.channel_for_webhook(%L, %L)', 'evolution', :'evo_id'),
  $$values (null::text)$$, 'after the grace only the new one');

select tests.authenticate_as('dora');
select throws_ok(format('select public.set_channel_secret(%L, %L)', :'cloud_id', 'app_secret'), 'PT400',
  'missing_secret', 'a new App Secret comes from Meta, so it must be given');
select public.set_channel_secret(:'cloud_id', 'app_secret', 'new-meta-app-secret', 600);
select throws_ok(format('select public.set_channel_secret(%L, %L)', :'cloud_id', 'webhook_secret'), 'PT400',
  'invalid_secret', 'a Cloud API channel has no Evolution webhook secret');
select tests.clear_authentication();
select results_eq(format('select app_secret, previous_app_secret from app.channel_for_webhook(%L, %L)', 'cloud', :'cloud_id'),
  $$values ('new-meta-app-secret', 'meta-app-secret')$$, 'a rotated App Secret keeps working during its grace');

select tests.authenticate_as('dora');
select is(public.channel_test_event(:'evo_id', '3EB0TESTEVENT') ->> 'stage', 'sent', 'a test event not yet arrived');
select tests.clear_authentication();
select app.enqueue('inbound_event', :'evo_id' || ':message:3EB0TESTEVENT', '{}');
select tests.authenticate_as('dora');
select is(public.channel_test_event(:'evo_id', '3EB0TESTEVENT') ->> 'stage', 'received', 'received by the webhook');
select tests.clear_authentication();
select app.apply_inbound_event(:'evo_id', tests.text_event('3EB0TESTEVENT', '5500000000000', 'Teste'));
select tests.authenticate_as('dora');
select is(public.channel_test_event(:'evo_id', '3EB0TESTEVENT') ->> 'stage', 'applied', 'and applied as a message');
select tests.clear_authentication();

select * from finish();
rollback;
