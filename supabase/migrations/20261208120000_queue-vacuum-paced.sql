-- The queue's autovacuum now pauses 1 ms per cost-limit's worth of pages instead of never. Rows leave the queue
-- by the hundred thousand after a burst, and autovacuum visits a database about once a minute, so one round
-- finds every row a burst left dead. Unthrottled (cost delay 0, set with the table), that round read and dirtied
-- the heap and all four indexes in 1-2 s of full-speed I/O, and webhooks arriving meanwhile could wait behind
-- it. Reproduced here with about 200,000 dead rows vacuumed under 1,000 webhooks/s:
--   unthrottled: 1.0-2.0 s, p99 19-53 ms over four runs (max up to 97 ms);
--   1 ms: 3.8-4.7 s, p99 12.5-16.7 ms over two, no worse than with no vacuum (14-20 ms);
--   the server default of 2 ms: 10.4 s.
-- One such round clears far more rows than the queue can let die between two rounds, so it still keeps up.
alter table app.message_queue set (autovacuum_vacuum_cost_delay = 1);
