-- Reactions, edits and deletes are applied to the message they point at; they are not messages of their own, and
-- one pointing at a message not stored here is ignored.
begin;
\ir helpers/setup.psql
select plan(15);
select tests.create_world();

select app.apply_inbound_event(tests.id('chan_a'), tests.text_event('orig', '5511999990001', 'Quero o modelo azul'));
select contact_id as customer, conversation_id as conv from public.messages m
  join public.conversations c on c.id = m.conversation_id where m.provider_message_id = 'orig' \gset

create function pg_temp.reaction(p_emoji text, p_from_me boolean default false, p_target text default 'orig')
returns jsonb language sql as $$
  select jsonb_build_object('type', 'reaction', 'occurred_at', now(), 'dedupe_key', 'r' || p_emoji,
    'target_provider_id', p_target, 'emoji', p_emoji, 'from_me', p_from_me,
    'contact', jsonb_build_object('phone', '5511999990001'))
$$;

select is(app.apply_inbound_event(tests.id('chan_a'), pg_temp.reaction('👍')) ->> 'outcome', 'applied',
  'a customer''s reaction is applied');
select is((select reactions from public.messages where provider_message_id = 'orig'),
  jsonb_build_object(:'customer', '👍'), 'it is set on the original, keyed by who reacted');
select is(app.apply_inbound_event(tests.id('chan_a'), pg_temp.reaction('👍')) ->> 'outcome', 'stale',
  'the same reaction twice changes nothing');
select app.apply_inbound_event(tests.id('chan_a'), pg_temp.reaction('❤️'));
select app.apply_inbound_event(tests.id('chan_a'), pg_temp.reaction('🙏', true));
select is((select reactions from public.messages where provider_message_id = 'orig'),
  jsonb_build_object(:'customer', '❤️', 'business', '🙏'), 'a new emoji replaces the reactor''s old one');
select app.apply_inbound_event(tests.id('chan_a'), pg_temp.reaction(''));
select is((select reactions from public.messages where provider_message_id = 'orig'),
  '{"business": "🙏"}'::jsonb, 'an empty emoji takes the reaction back');
select results_eq(
  $$select last_seq, unread_count from public.conversations where id = '$$ || :'conv' || $$'$$,
  $$values (1, 1)$$,
  'reactions add no message and nothing unread');
select is(app.apply_inbound_event(tests.id('chan_a'), pg_temp.reaction('👍', false, 'nowhere')) ->> 'outcome',
  'ignored', 'a reaction to a message not stored here is ignored');

create function pg_temp.edit(p_body text, p_at timestamptz, p_target text default 'orig') returns jsonb
language sql as $$
  select jsonb_build_object('type', 'edit', 'occurred_at', p_at, 'dedupe_key', 'e' || p_body,
    'target_provider_id', p_target, 'body', p_body)
$$;
select is(app.apply_inbound_event(tests.id('chan_a'), pg_temp.edit('Quero o modelo verde', now() + interval '2 minutes')) ->> 'outcome',
  'applied', 'an edit is applied');
select results_eq(
  $$select body, edited_at from public.messages where provider_message_id = 'orig'$$,
  $$values ('Quero o modelo verde', now() + interval '2 minutes')$$,
  'the original shows the new text and when it was edited');
select is(app.apply_inbound_event(tests.id('chan_a'), pg_temp.edit('Quero o modelo roxo', now() + interval '1 minute')) ->> 'outcome',
  'stale', 'an older edit arriving late does not overwrite a newer one');
select is(app.apply_inbound_event(tests.id('chan_a'), pg_temp.edit('x', now(), 'nowhere')) ->> 'outcome',
  'ignored', 'an edit of a message not stored here is ignored');

create function pg_temp.deletion(p_target text default 'orig') returns jsonb language sql as $$
  select jsonb_build_object('type', 'delete', 'occurred_at', now() + interval '3 minutes', 'dedupe_key', 'd' || p_target,
    'target_provider_id', p_target)
$$;
select is(app.apply_inbound_event(tests.id('chan_a'), pg_temp.deletion()) ->> 'outcome', 'applied',
  'a delete is applied');
select is((select deleted_at from public.messages where provider_message_id = 'orig'), now() + interval '3 minutes',
  'the original is marked deleted');
select is(app.apply_inbound_event(tests.id('chan_a'), pg_temp.edit('depois', now() + interval '4 minutes')) ->> 'outcome',
  'stale', 'a deleted message is not edited');
select is(app.apply_inbound_event(tests.id('chan_a'), pg_temp.deletion('nowhere')) ->> 'outcome', 'ignored',
  'a delete of a message not stored here is ignored');

select * from finish();
rollback;
