-- Content: domains → skills → questions, the tombstones of deleted rows and the content version.
-- Learners (and anon) read published content; instructors and admins (app_metadata.role) read drafts and write.

-- Who may author content: the role Supabase copies from auth.users.raw_app_meta_data into the JWT.
create or replace function public.is_content_editor() returns boolean
language sql stable
set search_path = ''
as $$
  select coalesce((select auth.jwt()) -> 'app_metadata' ->> 'role', '') in ('instructor', 'admin')
$$;

create table public.domains (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9_]+$'),
  title text not null check (length(title) > 0),
  sort_order integer not null default 0,
  is_published boolean not null default false,
  -- Once true, learners who may hold the row get a tombstone when it stops being visible to them.
  ever_published boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table public.skills (
  id uuid primary key default gen_random_uuid(),
  domain_id uuid not null references public.domains (id) on delete cascade,
  slug text not null check (slug ~ '^[a-z0-9_]+$'),
  title text not null check (length(title) > 0),
  description text,
  sort_order integer not null default 0,
  is_published boolean not null default false,
  ever_published boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (domain_id, slug)
);

create table public.questions (
  id uuid primary key default gen_random_uuid(),
  skill_id uuid not null references public.skills (id) on delete cascade,
  slug text not null check (slug ~ '^[a-z0-9_]+$'),
  type text not null check (type in ('mcq_single', 'reorder_steps')),
  payload jsonb not null check (jsonb_typeof(payload) = 'object'),
  explanation jsonb,
  sort_order integer not null default 0,
  is_published boolean not null default false,
  ever_published boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (skill_id, slug)
);

-- Keyset paging of the content pull walks (updated_at, id); the FK indexes serve cascades and visibility joins.
create index domains_updated_idx on public.domains (updated_at, id);
create index skills_updated_idx on public.skills (updated_at, id);
create index questions_updated_idx on public.questions (updated_at, id);
create index skills_domain_idx on public.skills (domain_id);
create index questions_skill_idx on public.questions (skill_id);

-- Deleted content: one row per deleted id, so the pull can tell clients to prune it.
create table public.content_tombstones (
  entity text not null check (entity in ('domain', 'skill', 'question')),
  id uuid not null,
  was_published boolean not null,
  updated_at timestamptz not null default now(),
  primary key (entity, id)
);
create index content_tombstones_updated_idx on public.content_tombstones (updated_at, id);

-- The server clock stamps every change (never the client's), so cursors only move forward.
create or replace function public.content_stamp_row() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := clock_timestamp();
  if tg_op = 'INSERT' then
    new.ever_published := new.is_published;
  else
    new.ever_published := old.ever_published or new.is_published;
  end if;
  return new;
end
$$;

create trigger domains_stamp before insert or update on public.domains
  for each row execute function public.content_stamp_row();
create trigger skills_stamp before insert or update on public.skills
  for each row execute function public.content_stamp_row();
create trigger questions_stamp before insert or update on public.questions
  for each row execute function public.content_stamp_row();

-- A parent's visibility decides its children's for learners, so a publish flip re-stamps the children:
-- the next incremental pull then delivers them (or their tombstones).
create or replace function public.content_touch_children() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_table_name = 'domains' then
    update public.skills set updated_at = clock_timestamp() where domain_id = new.id;
    update public.questions set updated_at = clock_timestamp()
      where skill_id in (select s.id from public.skills s where s.domain_id = new.id);
  else
    update public.questions set updated_at = clock_timestamp() where skill_id = new.id;
  end if;
  return null;
end
$$;

create trigger domains_touch_children after update of is_published on public.domains
  for each row when (old.is_published is distinct from new.is_published)
  execute function public.content_touch_children();
create trigger skills_touch_children after update of is_published on public.skills
  for each row when (old.is_published is distinct from new.is_published)
  execute function public.content_touch_children();

-- Definer: tombstones are written on behalf of whoever deleted, who has no rights on the table itself.
create or replace function public.content_record_tombstone() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  kind text := case tg_table_name when 'domains' then 'domain' when 'skills' then 'skill' else 'question' end;
begin
  if tg_op = 'DELETE' then
    insert into public.content_tombstones (entity, id, was_published, updated_at)
    values (kind, old.id, old.ever_published, clock_timestamp())
    on conflict (entity, id) do update
      set was_published = excluded.was_published, updated_at = excluded.updated_at;
    return old;
  end if;
  -- A re-created id is live again.
  delete from public.content_tombstones t where t.entity = kind and t.id = new.id;
  return new;
end
$$;

create trigger domains_tombstone after insert or delete on public.domains
  for each row execute function public.content_record_tombstone();
create trigger skills_tombstone after insert or delete on public.skills
  for each row execute function public.content_record_tombstone();
create trigger questions_tombstone after insert or delete on public.questions
  for each row execute function public.content_record_tombstone();

-- One row holding a counter that every content-changing statement bumps.
create table public.content_version_state (
  singleton boolean primary key default true check (singleton),
  version bigint not null default 0,
  changed_at timestamptz not null default now()
);
insert into public.content_version_state (singleton, version) values (true, 0);

create or replace function public.content_bump_version() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.content_version_state set version = version + 1, changed_at = clock_timestamp() where singleton;
  return null;
end
$$;

create trigger domains_bump_version after insert or update or delete or truncate on public.domains
  for each statement execute function public.content_bump_version();
create trigger skills_bump_version after insert or update or delete or truncate on public.skills
  for each statement execute function public.content_bump_version();
create trigger questions_bump_version after insert or update or delete or truncate on public.questions
  for each statement execute function public.content_bump_version();

-- Row-level security. Supabase's default privileges grant everything to the API roles, so narrow them first.
alter table public.domains enable row level security;
alter table public.skills enable row level security;
alter table public.questions enable row level security;
alter table public.content_tombstones enable row level security;
alter table public.content_version_state enable row level security;

revoke all on public.domains, public.skills, public.questions, public.content_tombstones,
  public.content_version_state from anon, authenticated;
grant select on public.domains, public.skills, public.questions, public.content_version_state to anon, authenticated;
grant insert, update, delete on public.domains, public.skills, public.questions to authenticated;
grant select on public.content_tombstones to authenticated;
grant all on public.domains, public.skills, public.questions, public.content_tombstones,
  public.content_version_state to service_role;

-- Learners see a row when it and all its ancestors are published.
create policy domains_read on public.domains for select to anon, authenticated
  using (is_published or (select public.is_content_editor()));
create policy skills_read on public.skills for select to anon, authenticated
  using (
    (is_published and exists (select 1 from public.domains d where d.id = domain_id and d.is_published))
    or (select public.is_content_editor())
  );
create policy questions_read on public.questions for select to anon, authenticated
  using (
    (is_published and exists (
      select 1 from public.skills s join public.domains d on d.id = s.domain_id
      where s.id = skill_id and s.is_published and d.is_published))
    or (select public.is_content_editor())
  );

create policy domains_insert on public.domains for insert to authenticated
  with check ((select public.is_content_editor()));
create policy domains_update on public.domains for update to authenticated
  using ((select public.is_content_editor())) with check ((select public.is_content_editor()));
create policy domains_delete on public.domains for delete to authenticated
  using ((select public.is_content_editor()));
create policy skills_insert on public.skills for insert to authenticated
  with check ((select public.is_content_editor()));
create policy skills_update on public.skills for update to authenticated
  using ((select public.is_content_editor())) with check ((select public.is_content_editor()));
create policy skills_delete on public.skills for delete to authenticated
  using ((select public.is_content_editor()));
create policy questions_insert on public.questions for insert to authenticated
  with check ((select public.is_content_editor()));
create policy questions_update on public.questions for update to authenticated
  using ((select public.is_content_editor())) with check ((select public.is_content_editor()));
create policy questions_delete on public.questions for delete to authenticated
  using ((select public.is_content_editor()));

-- Learners get tombstones through pull_content, which filters what they may learn about drafts.
create policy content_tombstones_editor_read on public.content_tombstones for select to authenticated
  using ((select public.is_content_editor()));

create policy content_version_read on public.content_version_state for select to anon, authenticated
  using (true);

-- Clients subscribe to changes of the version row through Supabase Realtime (postgres_changes).
alter publication supabase_realtime add table public.content_version_state;
