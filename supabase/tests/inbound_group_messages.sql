-- A group chat is one conversation whose contact is the group; each message is attributed to its author.
begin;
\ir helpers/setup.psql
select plan(6);
select tests.create_world();

create function pg_temp.group_message(p_id text, p_author jsonb, p_from_me boolean default false) returns jsonb
language sql as $$
  select jsonb_build_object('type', 'message', 'occurred_at', now(), 'dedupe_key', p_id, 'provider_message_id', p_id,
    'from_me', p_from_me, 'contact', jsonb_build_object('lid', '120363000000000001@g.us'),
    'group', jsonb_build_object('id', '120363000000000001@g.us', 'name', 'Equipe Loja'),
    'author', p_author, 'message_type', 'text', 'body', 'mensagem ' || p_id)
$$;

select app.apply_inbound_event(tests.id('chan_a'), pg_temp.group_message('g-1', '{"lid": "111@lid", "phone": "5511911111111", "name": "João"}'));
select app.apply_inbound_event(tests.id('chan_a'), pg_temp.group_message('g-2', '{"lid": "222@lid", "name": "Rita"}'));
select app.apply_inbound_event(tests.id('chan_a'), pg_temp.group_message('g-3', null, true));

select is((select count(distinct conversation_id) from public.messages where provider_message_id like 'g-%'), 1::bigint,
  'every message of the group lands in one conversation');
select results_eq(
  $$select k.group_jid, k.push_name from public.conversations c join public.contacts k on k.id = c.contact_id
    where c.id = (select conversation_id from public.messages where provider_message_id = 'g-1')$$,
  $$values ('120363000000000001@g.us', 'Equipe Loja')$$,
  'the conversation''s contact is the group, named after it');
select results_eq(
  $$select m.provider_message_id, a.lid, m.author_name from public.messages m
    join public.contacts a on a.id = m.author_contact_id order by m.seq$$,
  $$values ('g-1', '111@lid', 'João'), ('g-2', '222@lid', 'Rita')$$,
  'each message is attributed to its author');
select is((select phone from public.contacts where lid = '111@lid'), '5511911111111',
  'an author is a contact of their own, with their aliases');
select results_eq(
  $$select direction, author_contact_id is null from public.messages where provider_message_id = 'g-3'$$,
  $$values ('outbound', true)$$,
  'the business''s own message in the group is outbound, without an author');
select is((select unread_count from public.conversations
           where id = (select conversation_id from public.messages where provider_message_id = 'g-1')), 2,
  'only the members'' messages are unread');

select * from finish();
rollback;
