-- The study loop (issue 12): FSRS memory states, one per learner and question, synced through the registry; review
-- sessions (mode 'review'); and sync_apply_row's hook for tables whose merge is a function of their own.

create table public.memory_states (
  id uuid primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  question_id uuid not null,
  stability double precision not null check (stability >= 0),
  difficulty double precision not null check (difficulty >= 0),
  due_utc_ms bigint not null,
  scheduled_days integer not null check (scheduled_days >= 0),
  learning_steps integer not null check (learning_steps >= 0),
  reps integer not null check (reps >= 0),
  lapses integer not null check (lapses >= 0),
  state integer not null check (state between 0 and 3),
  last_review_utc_ms bigint not null,
  updated_utc_ms bigint not null,
  received_at timestamptz not null default now(),
  -- Soft link to the question, like attempts: the state outlives pruned content. One state per question whatever
  -- id each device chose.
  unique (user_id, question_id)
);
alter table public.memory_states enable row level security;
revoke all on public.memory_states from anon, authenticated;
grant select, insert, update on public.memory_states to authenticated;
grant all on public.memory_states to service_role;
create policy memory_states_own_read on public.memory_states for select to authenticated
  using (user_id = (select auth.uid()));
create policy memory_states_own_insert on public.memory_states for insert to authenticated
  with check (user_id = (select auth.uid()));
create policy memory_states_own_update on public.memory_states for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));

insert into public.sync_tables (table_name, user_column, parent_table, parent_column, row_id_column, bulk) values
  ('memory_states', 'user_id', null, null, 'id', false);

alter table public.sessions drop constraint sessions_mode_check;
alter table public.sessions add constraint sessions_mode_check check (mode in ('practice', 'test', 'review'));
-- A batch check that names the modes a session may have (sync_batch_problems, where an earlier migration defines it)
-- learns the new one the same way.
do $patch$
declare
  definition text := pg_catalog.pg_get_functiondef(pg_catalog.to_regprocedure('public.sync_batch_problems(jsonb)'));
begin
  if definition is not null and pg_catalog.strpos(definition, $x$not in ('practice', 'test')$x$) > 0 then
    execute pg_catalog.replace(pg_catalog.replace(definition, $x$not in ('practice', 'test')$x$,
      $x$not in ('practice', 'test', 'review')$x$), 'is not practice or test', 'is not practice, test or review');
  end if;
end
$patch$;

-- A session's score is correct of answered (not of the questions it had): ended sessions are rescored from their
-- attempts, as the device's migration 0006 does with its own.
update public.sessions s set score = c.correct::double precision / c.answered
from (select session_id, count(*) as answered, count(*) filter (where is_correct) as correct
      from public.attempts where session_id is not null group by session_id) c
where c.session_id = s.id and s.ended_utc_ms is not null;

-- The memory state of the latest review wins, whole: the greater last_review_utc_ms, then more reps, then the later
-- updated_utc_ms (the same rule as the device's local merge, electron/core/sync/local-merge.ts).
create or replace function public.sync_apply_memory_states(row_data jsonb) returns void
language plpgsql
security invoker
set search_path = ''
as $$
declare
  m public.memory_states := jsonb_populate_record(null::public.memory_states, row_data);
begin
  insert into public.memory_states as t (id, user_id, question_id, stability, difficulty, due_utc_ms, scheduled_days,
    learning_steps, reps, lapses, state, last_review_utc_ms, updated_utc_ms)
  values (m.id, m.user_id, m.question_id, m.stability, m.difficulty, m.due_utc_ms, m.scheduled_days,
    m.learning_steps, m.reps, m.lapses, m.state, m.last_review_utc_ms, m.updated_utc_ms)
  on conflict (user_id, question_id) do update set
    stability = excluded.stability,
    difficulty = excluded.difficulty,
    due_utc_ms = excluded.due_utc_ms,
    scheduled_days = excluded.scheduled_days,
    learning_steps = excluded.learning_steps,
    reps = excluded.reps,
    lapses = excluded.lapses,
    state = excluded.state,
    last_review_utc_ms = excluded.last_review_utc_ms,
    updated_utc_ms = excluded.updated_utc_ms,
    received_at = now()
  where (excluded.last_review_utc_ms, excluded.reps, excluded.updated_utc_ms)
    > (t.last_review_utc_ms, t.reps, t.updated_utc_ms);
end
$$;

-- sync_apply_row hands a table it does not name to that table's own merge function, public.sync_apply_<table>(jsonb),
-- so a synced table added later brings that function and its sync_tables row and leaves sync_apply_row alone. The
-- function is patched where it stands (whatever earlier migration last defined it), not copied: its raise for an
-- unhandled table becomes the call. target_table has passed sync_row_problem there, so it is a listed table.
do $patch$
declare
  definition text := pg_catalog.pg_get_functiondef('public.sync_apply_row(text, uuid, jsonb)'::pg_catalog.regprocedure);
  unhandled constant text := $x$raise exception 'sync_apply_row does not handle table "%"', target_table;$x$;
  handled_elsewhere constant text := $x$if pg_catalog.to_regprocedure(pg_catalog.format('public.%I(jsonb)', 'sync_apply_' || target_table)) is null then
      raise exception 'sync_apply_row does not handle table "%"', target_table;
    end if;
    execute pg_catalog.format('select public.%I($1)', 'sync_apply_' || target_table) using r;$x$;
begin
  if pg_catalog.strpos(definition, unhandled) = 0 then
    raise exception 'sync_apply_row has no raise for an unhandled table to turn into the per-table hook';
  end if;
  execute pg_catalog.replace(definition, unhandled, handled_elsewhere);
end
$patch$;

revoke execute on function public.sync_apply_memory_states(jsonb) from public, anon, authenticated;
grant execute on function public.sync_apply_memory_states(jsonb) to authenticated, service_role;
