-- Test-only: where the contract suite's functions and cron job leave their marks.
create table public.contract_function_calls (
  id bigint generated always as identity primary key,
  marker text not null,
  called_at timestamptz not null default now()
);
alter table public.contract_function_calls enable row level security;
