-- Response drills on the server (issue 10, "Packs and entitlements" and "Sync"):
-- - public.users with the seed's entitlement_level (LOCKED / BASIC / PRO): every account gets a row, LOCKED, when it
--   is created; learners read their own row and never write it; an admin grants a level with the service key
--   (admin_set_entitlement, used by `npm run content -- grant`);
-- - public.content_packs, the seed's table: DRAFT / ACTIVE / ARCHIVED with at most one ACTIVE pack (a partial unique
--   index); authenticated users read the ACTIVE pack, content editors manage packs; clients fetch the active pack with
--   active_drill_pack() in the same round as the content pull;
-- - drill rows: question_id is text (drill question ids are text in the seed and in packs), the seed's rules as CHECKs,
--   and sync_push refuses them from a LOCKED account (reason `locked`) and for a question no pack ever made active
--   (reason `unknown_content`); the device keeps such rows on itself only;
-- - the status-rank merge of a drill session keeps the newest state's values: a stale device moves nothing back.

-- Entitlements ----------------------------------------------------------------------------------------------------

create table public.users (
  id uuid primary key references auth.users (id) on delete cascade,
  entitlement_level text not null default 'LOCKED' check (entitlement_level in ('LOCKED', 'BASIC', 'PRO')),
  stripe_customer_id text unique,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_login_at timestamptz
);
create index users_entitlement_idx on public.users (entitlement_level);
alter table public.users enable row level security;
revoke all on public.users from anon, authenticated;
-- Learners read their own row; no INSERT or UPDATE for them: only the trigger below and the service role write it.
grant select on public.users to authenticated;
grant all on public.users to service_role;
create policy users_own_read on public.users for select to authenticated
  using (id = (select auth.uid()));

-- Every new account starts LOCKED (the seed's default). Definer: it runs on behalf of whoever creates the account.
create or replace function public.users_create_for_auth_user() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.users (id) values (new.id) on conflict (id) do nothing;
  return new;
end
$$;
create trigger users_create_for_auth_user after insert on auth.users
  for each row execute function public.users_create_for_auth_user();
-- Accounts created before this migration get their row too.
insert into public.users (id) select id from auth.users on conflict (id) do nothing;

create or replace function public.users_stamp_updated() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := pg_catalog.clock_timestamp();
  return new;
end
$$;
create trigger users_stamp_updated before update on public.users
  for each row execute function public.users_stamp_updated();

-- The level that decides what an account may sync: a missing row counts as LOCKED, the seed's default.
create or replace function public.entitlement_level_of(account uuid) returns text
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((select u.entitlement_level from public.users u where u.id = account), 'LOCKED')
$$;

-- The admin command: grants a level to the account with this email. Only the service role may call it.
create or replace function public.admin_set_entitlement(account_email text, level text) returns json
language plpgsql
security definer
set search_path = ''
as $$
declare
  account uuid;
begin
  if level is null or level not in ('LOCKED', 'BASIC', 'PRO') then
    raise exception 'level must be LOCKED, BASIC or PRO, not %', coalesce(level, 'null') using errcode = '22023';
  end if;
  select a.id into account from auth.users a where a.email = pg_catalog.lower(account_email);
  if account is null then
    raise exception 'no account has the email %', account_email using errcode = 'P0002';
  end if;
  insert into public.users as t (id, entitlement_level) values (account, level)
  on conflict (id) do update set entitlement_level = excluded.entitlement_level;
  return pg_catalog.json_build_object('id', account, 'email', pg_catalog.lower(account_email), 'entitlement_level', level);
end
$$;

-- Content packs ---------------------------------------------------------------------------------------------------

create table public.content_packs (
  id uuid primary key default gen_random_uuid(),
  version text not null check (version ~ '^[0-9]+\.[0-9]+\.[0-9]+'),
  name text not null check (char_length(name) between 1 and 200),
  description text,
  schema_version text not null default '1.0.0',
  -- The drill pack as a pack file holds it: { version, metadata: { title, description, categories[7] }, questions }.
  content jsonb not null check (pg_catalog.jsonb_typeof(content -> 'questions') = 'array'
    and pg_catalog.jsonb_typeof(content -> 'metadata') = 'object'
    and pg_catalog.jsonb_typeof(content -> 'metadata' -> 'categories') = 'array'
    and pg_catalog.jsonb_array_length(content -> 'metadata' -> 'categories') = 7),
  metadata jsonb,
  status text not null default 'DRAFT' check (status in ('DRAFT', 'ACTIVE', 'ARCHIVED')),
  -- The editor who uploaded it; null when it was uploaded with the service key (no account).
  uploaded_by uuid default auth.uid() references public.users (id) on delete set null,
  file_size integer not null check (file_size > 0),
  checksum text not null check (checksum ~ '^[0-9a-f]{64}$'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Set the first time the pack becomes ACTIVE and kept after: learners' drills on it stay accepted once archived.
  activated_at timestamptz,
  unique (version, name)
);
-- At most one ACTIVE pack, whoever writes.
create unique index content_packs_one_active_uq on public.content_packs (status) where status = 'ACTIVE';
create index content_packs_status_idx on public.content_packs (status);
-- sync_push looks a drilled question up among the packs' questions.
create index content_packs_questions_idx on public.content_packs using gin ((content -> 'questions') jsonb_path_ops);

create or replace function public.content_packs_stamp() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := pg_catalog.clock_timestamp();
  if new.status = 'ACTIVE' and (tg_op = 'INSERT' or old.status is distinct from 'ACTIVE') then
    new.activated_at := pg_catalog.clock_timestamp();
  elsif tg_op = 'UPDATE' and new.activated_at is null then
    new.activated_at := old.activated_at;
  end if;
  return new;
end
$$;
create trigger content_packs_stamp before insert or update on public.content_packs
  for each row execute function public.content_packs_stamp();

alter table public.content_packs enable row level security;
revoke all on public.content_packs from anon, authenticated;
grant select, insert, update, delete on public.content_packs to authenticated;
grant all on public.content_packs to service_role;
create policy content_packs_read on public.content_packs for select to authenticated
  using (status = 'ACTIVE' or (select public.is_content_editor()));
create policy content_packs_editor_insert on public.content_packs for insert to authenticated
  with check ((select public.is_content_editor()));
create policy content_packs_editor_update on public.content_packs for update to authenticated
  using ((select public.is_content_editor())) with check ((select public.is_content_editor()));
create policy content_packs_editor_delete on public.content_packs for delete to authenticated
  using ((select public.is_content_editor()));

-- Activates or archives a pack; activating archives the active one first, in the same transaction. Invoker rights:
-- only a content editor (RLS) or the service role changes anything.
create or replace function public.set_content_pack_status(pack_id uuid, new_status text) returns json
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  changed public.content_packs;
begin
  if new_status is null or new_status not in ('ACTIVE', 'ARCHIVED') then
    raise exception 'a pack can be made ACTIVE or ARCHIVED, not %', coalesce(new_status, 'null') using errcode = '22023';
  end if;
  if new_status = 'ACTIVE' then
    update public.content_packs set status = 'ARCHIVED' where status = 'ACTIVE' and id <> pack_id;
  end if;
  update public.content_packs set status = new_status where id = pack_id returning * into changed;
  if changed.id is null then
    raise exception 'no content pack % that you may change', pack_id using errcode = 'P0002';
  end if;
  return pg_catalog.json_build_object('id', changed.id, 'status', changed.status);
end
$$;

-- The active drill pack for the device, fetched in the same round as the content pull (pull_content_page stays as it
-- is: installed apps refuse an entity they do not know), or null when no pack is active.
create or replace function public.active_drill_pack() returns json
language sql
stable
security invoker
set search_path = ''
as $$
  select pg_catalog.json_build_object('id', p.id, 'name', p.name, 'version', p.version, 'description', p.description,
    'schema_version', p.schema_version, 'content', p.content, 'checksum', p.checksum, 'file_size', p.file_size,
    'activated_utc_ms', pg_catalog.floor(pg_catalog.date_part('epoch', p.activated_at) * 1000)::bigint,
    'updated_utc_ms', pg_catalog.floor(pg_catalog.date_part('epoch', p.updated_at) * 1000)::bigint)
  from public.content_packs p where p.status = 'ACTIVE'
$$;

-- Whether a drill question belongs to a pack that was ever active: the rule sync_push applies to learners' drills,
-- like "content it has ever published" for questions.
create or replace function public.drill_question_published(question_id text) returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.content_packs p
    where p.activated_at is not null
      and p.content -> 'questions' @> pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object('id', question_id)))
$$;

-- Drill rows: the seed's rules --------------------------------------------------------------------------------------

alter table public.drill_sessions alter column question_id type text using question_id::text;

-- Exactly 7 categories, each an object with a unique non-empty name (a CHECK cannot hold a subquery, a function can).
create or replace function public.drill_categories_valid(categories jsonb) returns boolean
language sql
immutable
set search_path = ''
as $$
  select pg_catalog.jsonb_typeof(categories) = 'array'
    and pg_catalog.jsonb_array_length(categories) = 7
    and (select pg_catalog.count(distinct c ->> 'name') = 7
           and pg_catalog.bool_and(pg_catalog.jsonb_typeof(c) = 'object' and pg_catalog.length(c ->> 'name') > 0)
         from pg_catalog.jsonb_array_elements(categories) c)
$$;

alter table public.drill_sessions
  add constraint drill_sessions_processing_time_check check (processing_time_ms > 0),
  add constraint drill_sessions_question_check check (char_length(question_id) between 1 and 200);
alter table public.drill_responses
  add constraint drill_responses_audio_duration_check check (audio_duration_s > 0),
  add constraint drill_responses_word_count_check check (word_count >= 0);
alter table public.evaluation_results
  add constraint evaluation_results_score_check check (overall_score between 0 and 100),
  add constraint evaluation_results_categories_check check (public.drill_categories_valid(categories)),
  add constraint evaluation_results_what_changed_check
    check (pg_catalog.jsonb_typeof(what_changed) = 'array' and pg_catalog.jsonb_array_length(what_changed) <= 3),
  add constraint evaluation_results_processing_time_check check (processing_time_ms > 0),
  add constraint evaluation_results_duration_check check (duration_s > 0),
  add constraint evaluation_results_words_check check (words >= 0 and wpm >= 0);

-- sync_push's batch check (wherever an earlier migration last defined it) learns the drill rules, patched in place:
-- a drill session's question is a pack's text id, not a question's UUID; drill rows from a LOCKED account answer
-- `locked`; a drill on a question no pack ever made active answers `unknown_content`.
-- The status-rank merge (sync_apply_row's drill_sessions branch) keeps the values of the newer state: a stale
-- device's snapshot fills only what the server lacks.
do $patch$
declare
  batch_check constant regprocedure := 'public.sync_batch_problems(jsonb)'::pg_catalog.regprocedure;
  apply_row constant regprocedure := 'public.sync_apply_row(text, uuid, jsonb)'::pg_catalog.regprocedure;
  batch_edits constant text[][] := array[
    array[$x$('attempts', 'question', 'question_id'), ('drill_sessions', 'question', 'question_id'),$x$,
          $x$('attempts', 'question', 'question_id'),$x$],
    array[$x$    when t.table_name = 'profile' then ($x$,
          $x$    when t.table_name in ('drill_sessions', 'drill_responses', 'evaluation_results')
      and public.entitlement_level_of((select auth.uid())) = 'LOCKED'
      then 'locked'
    when t.table_name = 'drill_sessions'
      and not public.drill_question_published(e.v operator(pg_catalog.->) 'row' operator(pg_catalog.->>) 'question_id')
      then 'unknown_content'
    when t.table_name = 'profile' then ($x$]
  ];
  apply_edits constant text[][] := array[
    array[$x$      submitted_utc_ms = coalesce(excluded.submitted_utc_ms, t.submitted_utc_ms),
      completed_utc_ms = coalesce(excluded.completed_utc_ms, t.completed_utc_ms),
      processing_time_ms = coalesce(excluded.processing_time_ms, t.processing_time_ms),
      metadata = coalesce(excluded.metadata, t.metadata),$x$,
          $x$      submitted_utc_ms = case when public.sync_drill_status_rank(excluded.status) >= public.sync_drill_status_rank(t.status)
        then coalesce(excluded.submitted_utc_ms, t.submitted_utc_ms) else coalesce(t.submitted_utc_ms, excluded.submitted_utc_ms) end,
      completed_utc_ms = case when public.sync_drill_status_rank(excluded.status) >= public.sync_drill_status_rank(t.status)
        then coalesce(excluded.completed_utc_ms, t.completed_utc_ms) else coalesce(t.completed_utc_ms, excluded.completed_utc_ms) end,
      processing_time_ms = case when public.sync_drill_status_rank(excluded.status) >= public.sync_drill_status_rank(t.status)
        then coalesce(excluded.processing_time_ms, t.processing_time_ms) else coalesce(t.processing_time_ms, excluded.processing_time_ms) end,
      metadata = case when public.sync_drill_status_rank(excluded.status) >= public.sync_drill_status_rank(t.status)
        then coalesce(excluded.metadata, t.metadata) else coalesce(t.metadata, excluded.metadata) end,$x$]
  ];
  definition text;
begin
  definition := pg_catalog.pg_get_functiondef(batch_check);
  for i in 1 .. pg_catalog.array_length(batch_edits, 1) loop
    if pg_catalog.strpos(definition, batch_edits[i][1]) = 0 then
      raise exception 'sync_batch_problems has no "%" to patch for drills', batch_edits[i][1];
    end if;
    definition := pg_catalog.replace(definition, batch_edits[i][1], batch_edits[i][2]);
  end loop;
  execute definition;

  definition := pg_catalog.pg_get_functiondef(apply_row);
  for i in 1 .. pg_catalog.array_length(apply_edits, 1) loop
    if pg_catalog.strpos(definition, apply_edits[i][1]) = 0 then
      raise exception 'sync_apply_row has no "%" to patch for drills', apply_edits[i][1];
    end if;
    definition := pg_catalog.replace(definition, apply_edits[i][1], apply_edits[i][2]);
  end loop;
  execute definition;
end
$patch$;

revoke execute on function public.users_create_for_auth_user(), public.users_stamp_updated(),
  public.entitlement_level_of(uuid), public.admin_set_entitlement(text, text), public.content_packs_stamp(),
  public.set_content_pack_status(uuid, text), public.active_drill_pack(), public.drill_question_published(text),
  public.drill_categories_valid(jsonb)
  from public, anon, authenticated;
grant execute on function public.set_content_pack_status(uuid, text), public.active_drill_pack(),
  public.drill_categories_valid(jsonb) to authenticated;
grant execute on function public.entitlement_level_of(uuid), public.admin_set_entitlement(text, text),
  public.set_content_pack_status(uuid, text), public.active_drill_pack(), public.drill_question_published(text),
  public.drill_categories_valid(jsonb) to service_role;
