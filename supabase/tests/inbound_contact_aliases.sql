-- Every alias of a person (LID, phone, BSUID) resolves to one contact per tenant, whatever order they appear in.
begin;
\ir helpers/setup.psql
select plan(10);
select tests.create_world();

create function pg_temp.message(p_id text, p_contact jsonb) returns jsonb language sql as $$
  select jsonb_build_object('type', 'message', 'occurred_at', now(), 'dedupe_key', p_id, 'provider_message_id', p_id,
    'from_me', false, 'contact', p_contact, 'message_type', 'text', 'body', 'oi')
$$;

select (app.apply_inbound_event(tests.id('chan_a'), pg_temp.message('a-1', '{"lid": "123456789012345@lid", "name": "Maria"}')) ->> 'contact_id') as maria \gset
select is(
  (app.apply_inbound_event(tests.id('chan_a'), pg_temp.message('a-2', '{"lid": "123456789012345@lid", "phone": "5511988887777"}')) ->> 'contact_id')::uuid,
  :'maria'::uuid, 'a LID then a phone with that LID: the same contact');
select is(
  (app.apply_inbound_event(tests.id('chan_a'), pg_temp.message('a-3', '{"phone": "5511988887777", "name": "Maria Silva"}')) ->> 'contact_id')::uuid,
  :'maria'::uuid, 'then the phone alone: still the same contact');
select is(
  (app.apply_inbound_event(tests.id('chan_a'), pg_temp.message('a-4', '{"bsuid": "BR.1234567890", "phone": "5511988887777"}')) ->> 'contact_id')::uuid,
  :'maria'::uuid, 'then a BSUID with the phone: the same contact');
select results_eq(
  $$select phone, lid, bsuid, push_name from public.contacts where id = '$$ || :'maria' || $$'$$,
  $$values ('5511988887777', '123456789012345@lid', 'BR.1234567890', 'Maria Silva')$$,
  'the contact holds every alias and the latest push name');
select is((select count(*) from public.contacts where tenant_id = tests.id('tenant_a')), 1::bigint,
  'one contact for the person');
select is((select count(*) from public.conversations where contact_id = :'maria'), 1::bigint,
  'and one conversation');

select isnt(
  (app.apply_inbound_event(tests.id('chan_b'), pg_temp.message('b-1', '{"phone": "5511988887777"}')) ->> 'contact_id')::uuid,
  :'maria'::uuid, 'the same phone in another tenant is another tenant''s contact');

-- Seen apart before, joined later: the LID wins and no alias moves between contacts.
select app.apply_inbound_event(tests.id('chan_a'), pg_temp.message('c-1', '{"phone": "5511977776666"}'));
select (app.apply_inbound_event(tests.id('chan_a'), pg_temp.message('c-2', '{"lid": "999@lid"}')) ->> 'contact_id') as by_lid \gset
select is(
  (app.apply_inbound_event(tests.id('chan_a'), pg_temp.message('c-3', '{"phone": "5511977776666", "lid": "999@lid"}')) ->> 'contact_id')::uuid,
  :'by_lid'::uuid, 'aliases of two existing contacts resolve to the one found by LID');
select is(
  (app.apply_inbound_event(tests.id('chan_a'), pg_temp.message('a-5', '{"phone": "+55 (11) 98888-7777"}')) ->> 'contact_id')::uuid,
  :'maria'::uuid, 'a phone written with punctuation is the same phone');
select throws_ok(
  $$select app.apply_inbound_event(tests.id('chan_a'), pg_temp.message('d-1', '{"name": "Sem número"}'))$$,
  'P0001', 'invalid_event', 'a contact without any alias is an invalid event');

select * from finish();
rollback;
