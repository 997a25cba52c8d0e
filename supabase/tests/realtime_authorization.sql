-- Private Realtime topics, checked the way Realtime checks them: a join reads a probe row of realtime.messages
-- with realtime.topic() set (select policy), a client's broadcast or presence track inserts one (insert policy).
begin;
\ir helpers/setup.psql
select plan(20);
select tests.create_world();
select app.apply_inbound_event(tests.id('chan_a'), tests.text_event('rt-1', '5511999990001', 'Oi'));
select conversation_id as conv from public.messages where provider_message_id = 'rt-1' \gset

create function pg_temp.can_join(p_user text, p_topic text, p_extension text default 'broadcast')
returns boolean language plpgsql as $$
declare
  v_probe uuid := gen_random_uuid();
  v_seen boolean;
begin
  insert into realtime.messages (id, topic, extension, private) values (v_probe, p_topic, p_extension, true);
  perform set_config('realtime.topic', p_topic, true);
  perform tests.authenticate_as(p_user);
  v_seen := exists (select 1 from realtime.messages m where m.id = v_probe);
  perform tests.clear_authentication();
  return v_seen;
end;
$$;

create function pg_temp.can_send(p_user text, p_topic text, p_extension text default 'broadcast')
returns boolean language plpgsql as $$
declare
  v_sent boolean;
begin
  perform set_config('realtime.topic', p_topic, true);
  perform tests.authenticate_as(p_user);
  begin
    insert into realtime.messages (topic, extension, event, payload, private)
    values (p_topic, p_extension, 'probe', '{}', true);
    v_sent := true;
  exception when insufficient_privilege then
    v_sent := false;
  end;
  perform tests.clear_authentication();
  return v_sent;
end;
$$;

select ok(pg_temp.can_join('ana', 'tenant:' || tests.id('tenant_a')), 'a member joins their tenant''s inbox topic');
select ok(not pg_temp.can_join('zeca', 'tenant:' || tests.id('tenant_a')), 'another tenant''s member cannot');
select ok(not pg_temp.can_send('ana', 'tenant:' || tests.id('tenant_a')), 'nobody but the database broadcasts on it');
select ok(not pg_temp.can_join('ana', 'tenant:' || tests.id('tenant_a'), 'presence'), 'and it has no presence');

select ok(pg_temp.can_join('bruno', 'conversation:' || :'conv'), 'a member joins a conversation of their tenant');
select ok(pg_temp.can_send('bruno', 'conversation:' || :'conv'), 'and may broadcast on it (typing)');
select ok(not pg_temp.can_join('zeca', 'conversation:' || :'conv'), 'another tenant''s member cannot join it');
select ok(not pg_temp.can_send('zeca', 'conversation:' || :'conv'), 'nor broadcast on it');
select ok(not pg_temp.can_join('ana', 'conversation:' || gen_random_uuid()), 'a conversation that does not exist is closed');

select ok(pg_temp.can_join('ana', 'agent:' || tests.id('ana')), 'an agent joins their own notice topic');
select ok(not pg_temp.can_join('bruno', 'agent:' || tests.id('ana')), 'a colleague cannot');
select ok(not pg_temp.can_send('bruno', 'agent:' || tests.id('ana')), 'nor send notices on it');

select ok(pg_temp.can_join('ana', 'presence:' || tests.id('tenant_a'), 'presence'), 'a member sees who is online');
select ok(pg_temp.can_send('ana', 'presence:' || tests.id('tenant_a'), 'presence'), 'and is tracked as online');
select ok(pg_temp.can_send('ana', 'presence:' || tests.id('tenant_a'), 'broadcast'), 'and may broadcast there');
select ok(not pg_temp.can_join('zeca', 'presence:' || tests.id('tenant_a'), 'presence'), 'another tenant''s member cannot');
select ok(not pg_temp.can_send('zeca', 'presence:' || tests.id('tenant_a'), 'presence'), 'nor be tracked there');

select ok(not pg_temp.can_join('ana', 'tenant:not-a-uuid'), 'a malformed topic is closed');
select ok(not pg_temp.can_join('ana', 'tenant:' || tests.id('tenant_a') || ':extra'), 'so is one with a suffix');
select ok(not pg_temp.can_join('ana', 'lobby:' || tests.id('tenant_a')), 'and any other kind of topic');

select * from finish();
rollback;
