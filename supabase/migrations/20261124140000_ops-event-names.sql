-- The event names of monitoring and setup: dead letters appearing, retried and discarded; channels created and
-- their secrets rotated; members added, changed and removed. The same words in SQL, TypeScript and the console.
-- The new list only adds names, so the constraint is swapped without blocking writers while old rows are checked.
alter table public.events drop constraint events_type_check;
alter table public.events add constraint events_type_check check (type in (
  'conversation.created', 'conversation.updated', 'conversation.assigned', 'conversation.transferred',
  'conversation.closed', 'conversation.reopened',
  'message.created', 'message.updated', 'message.status_changed', 'message.edited', 'message.deleted',
  'message.reacted',
  'channel.status_changed', 'channel.created', 'channel.secret_rotated',
  'dead_letter.created', 'dead_letter.retried', 'dead_letter.discarded',
  'member.added', 'member.updated', 'member.removed')) not valid;
alter table public.events validate constraint events_type_check;
