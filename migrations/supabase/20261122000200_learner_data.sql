-- Learner data pushed from devices: practice sessions, attempts, skill progress, profile, tutor chats,
-- response drills, and the receipts that make pushes idempotent. Every row belongs to one auth user.
-- Columns mirror the local SQLite schema (electron/core/db/schema.ts): event times are BIGINT UTC ms.
-- Links to content are soft (no FK) like on the device: learner history outlives pruned content.

create table public.sessions (
  id uuid primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  skill_id uuid,
  mode text not null default 'practice' check (mode in ('practice', 'test')),
  started_utc_ms bigint not null,
  ended_utc_ms bigint,
  score double precision,
  meta jsonb,
  received_at timestamptz not null default now()
);
create index sessions_user_started_idx on public.sessions (user_id, started_utc_ms);

create table public.attempts (
  id uuid primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  question_id uuid not null,
  session_id uuid references public.sessions (id) on delete cascade,
  answer jsonb not null,
  is_correct boolean,
  ts_utc_ms bigint not null,
  meta jsonb,
  received_at timestamptz not null default now(),
  unique (user_id, question_id, ts_utc_ms)
);
create index attempts_session_idx on public.attempts (session_id);
create index attempts_user_ts_idx on public.attempts (user_id, ts_utc_ms);

create table public.skill_progress (
  id uuid primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  skill_id uuid not null,
  progress double precision not null default 0 check (progress >= 0 and progress <= 1),
  mastered_count integer not null default 0 check (mastered_count >= 0),
  attempt_count integer not null default 0 check (attempt_count >= 0),
  correct_count integer not null default 0 check (correct_count >= 0),
  last_attempt_ts bigint not null,
  updated_utc_ms bigint not null default 0,
  received_at timestamptz not null default now(),
  unique (user_id, skill_id)
);

create table public.profile (
  user_id uuid primary key references auth.users (id) on delete cascade,
  display_name text,
  xp bigint not null default 0 check (xp >= 0),
  streak_count integer not null default 0 check (streak_count >= 0),
  last_active_day text check (last_active_day ~ '^\d{4}-\d{2}-\d{2}$'),
  last_active_utc_ms bigint,
  created_utc_ms bigint not null,
  updated_utc_ms bigint not null,
  received_at timestamptz not null default now()
);

create table public.chat_sessions (
  id uuid primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  chat_name text,
  context_snapshot jsonb,
  skill_id uuid,
  is_active boolean not null default true,
  created_utc_ms bigint not null,
  updated_utc_ms bigint not null,
  received_at timestamptz not null default now()
);
create index chat_sessions_user_updated_idx on public.chat_sessions (user_id, updated_utc_ms);

create table public.chat_messages (
  id uuid primary key,
  chat_id uuid not null references public.chat_sessions (id) on delete cascade,
  sender text not null check (sender in ('user', 'tutor', 'system')),
  message_content text,
  tool_calls jsonb not null default '[]',
  sequence integer not null,
  created_utc_ms bigint not null,
  received_at timestamptz not null default now(),
  unique (chat_id, sequence)
);

create table public.drill_sessions (
  id uuid primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  question_id uuid not null,
  content_pack_version text not null,
  status text not null check (status in ('STARTED', 'SUBMITTED', 'PROCESSING', 'COMPLETED', 'FAILED')),
  started_utc_ms bigint not null,
  submitted_utc_ms bigint,
  completed_utc_ms bigint,
  processing_time_ms integer,
  metadata jsonb,
  received_at timestamptz not null default now()
);
create index drill_sessions_user_started_idx on public.drill_sessions (user_id, started_utc_ms);

create table public.drill_responses (
  id uuid primary key,
  session_id uuid not null unique references public.drill_sessions (id) on delete cascade,
  content text,
  audio_url text,
  audio_duration_s double precision,
  word_count integer,
  created_utc_ms bigint not null,
  received_at timestamptz not null default now(),
  check (content is not null or audio_url is not null)
);

create table public.evaluation_results (
  id uuid primary key,
  session_id uuid not null unique references public.drill_sessions (id) on delete cascade,
  response_id uuid not null references public.drill_responses (id) on delete cascade,
  duration_s double precision not null,
  words integer not null,
  wpm double precision not null,
  overall_score double precision not null,
  categories jsonb not null,
  what_changed jsonb not null,
  practice_rule text not null,
  model_used text not null,
  processing_time_ms integer not null,
  created_utc_ms bigint not null,
  received_at timestamptz not null default now()
);
create index evaluation_results_response_idx on public.evaluation_results (response_id);

-- Outbox ids already applied, per user: a retried push answers "duplicate" instead of applying twice.
create table public.sync_receipts (
  user_id uuid not null references auth.users (id) on delete cascade,
  outbox_id uuid not null,
  table_name text not null,
  row_id uuid not null,
  received_at timestamptz not null default now(),
  primary key (user_id, outbox_id)
);

-- Row-level security: a learner reads and writes only their own rows; rows without user_id are owned
-- through their parent. Nobody but service_role deletes (history is append-and-merge).
alter table public.sessions enable row level security;
alter table public.attempts enable row level security;
alter table public.skill_progress enable row level security;
alter table public.profile enable row level security;
alter table public.chat_sessions enable row level security;
alter table public.chat_messages enable row level security;
alter table public.drill_sessions enable row level security;
alter table public.drill_responses enable row level security;
alter table public.evaluation_results enable row level security;
alter table public.sync_receipts enable row level security;

revoke all on public.sessions, public.attempts, public.skill_progress, public.profile, public.chat_sessions,
  public.chat_messages, public.drill_sessions, public.drill_responses, public.evaluation_results,
  public.sync_receipts from anon, authenticated;
grant select, insert, update on public.sessions, public.attempts, public.skill_progress, public.profile,
  public.chat_sessions, public.chat_messages, public.drill_sessions, public.drill_responses,
  public.evaluation_results to authenticated;
grant select, insert on public.sync_receipts to authenticated;
grant all on public.sessions, public.attempts, public.skill_progress, public.profile, public.chat_sessions,
  public.chat_messages, public.drill_sessions, public.drill_responses, public.evaluation_results,
  public.sync_receipts to service_role;

create policy sessions_own_read on public.sessions for select to authenticated
  using (user_id = (select auth.uid()));
create policy sessions_own_insert on public.sessions for insert to authenticated
  with check (user_id = (select auth.uid()));
create policy sessions_own_update on public.sessions for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));

create policy attempts_own_read on public.attempts for select to authenticated
  using (user_id = (select auth.uid()));
-- An attempt may only hang off the learner's own session (FK checks ignore RLS).
create policy attempts_own_insert on public.attempts for insert to authenticated
  with check (user_id = (select auth.uid()) and (session_id is null or exists (
    select 1 from public.sessions s where s.id = session_id and s.user_id = (select auth.uid()))));
create policy attempts_own_update on public.attempts for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()) and (session_id is null or exists (
    select 1 from public.sessions s where s.id = session_id and s.user_id = (select auth.uid()))));

create policy skill_progress_own_read on public.skill_progress for select to authenticated
  using (user_id = (select auth.uid()));
create policy skill_progress_own_insert on public.skill_progress for insert to authenticated
  with check (user_id = (select auth.uid()));
create policy skill_progress_own_update on public.skill_progress for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));

create policy profile_own_read on public.profile for select to authenticated
  using (user_id = (select auth.uid()));
create policy profile_own_insert on public.profile for insert to authenticated
  with check (user_id = (select auth.uid()));
create policy profile_own_update on public.profile for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));

create policy chat_sessions_own_read on public.chat_sessions for select to authenticated
  using (user_id = (select auth.uid()));
create policy chat_sessions_own_insert on public.chat_sessions for insert to authenticated
  with check (user_id = (select auth.uid()));
create policy chat_sessions_own_update on public.chat_sessions for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));

create policy chat_messages_own_read on public.chat_messages for select to authenticated
  using (exists (select 1 from public.chat_sessions c where c.id = chat_id and c.user_id = (select auth.uid())));
create policy chat_messages_own_insert on public.chat_messages for insert to authenticated
  with check (exists (select 1 from public.chat_sessions c where c.id = chat_id and c.user_id = (select auth.uid())));
create policy chat_messages_own_update on public.chat_messages for update to authenticated
  using (exists (select 1 from public.chat_sessions c where c.id = chat_id and c.user_id = (select auth.uid())))
  with check (exists (select 1 from public.chat_sessions c where c.id = chat_id and c.user_id = (select auth.uid())));

create policy drill_sessions_own_read on public.drill_sessions for select to authenticated
  using (user_id = (select auth.uid()));
create policy drill_sessions_own_insert on public.drill_sessions for insert to authenticated
  with check (user_id = (select auth.uid()));
create policy drill_sessions_own_update on public.drill_sessions for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));

create policy drill_responses_own_read on public.drill_responses for select to authenticated
  using (exists (select 1 from public.drill_sessions d where d.id = session_id and d.user_id = (select auth.uid())));
create policy drill_responses_own_insert on public.drill_responses for insert to authenticated
  with check (exists (select 1 from public.drill_sessions d where d.id = session_id and d.user_id = (select auth.uid())));
create policy drill_responses_own_update on public.drill_responses for update to authenticated
  using (exists (select 1 from public.drill_sessions d where d.id = session_id and d.user_id = (select auth.uid())))
  with check (exists (select 1 from public.drill_sessions d where d.id = session_id and d.user_id = (select auth.uid())));

create policy evaluation_results_own_read on public.evaluation_results for select to authenticated
  using (exists (select 1 from public.drill_sessions d where d.id = session_id and d.user_id = (select auth.uid())));
-- The evaluated response must be the one of the same (own) drill session.
create policy evaluation_results_own_insert on public.evaluation_results for insert to authenticated
  with check (exists (
    select 1 from public.drill_sessions d join public.drill_responses r on r.session_id = d.id
    where d.id = session_id and r.id = response_id and d.user_id = (select auth.uid())));
create policy evaluation_results_own_update on public.evaluation_results for update to authenticated
  using (exists (select 1 from public.drill_sessions d where d.id = session_id and d.user_id = (select auth.uid())))
  with check (exists (
    select 1 from public.drill_sessions d join public.drill_responses r on r.session_id = d.id
    where d.id = session_id and r.id = response_id and d.user_id = (select auth.uid())));

create policy sync_receipts_own_read on public.sync_receipts for select to authenticated
  using (user_id = (select auth.uid()));
create policy sync_receipts_own_insert on public.sync_receipts for insert to authenticated
  with check (user_id = (select auth.uid()));
