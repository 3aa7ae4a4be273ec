-- The content pull in commit order (issue 7, section 6 and the horizon of section 7): every content row and
-- tombstone records the transaction that last changed it (change_xid, an xid8), and pull_content_page pages by
-- (change_xid, id) and returns only rows below the snapshot's xmin. Every transaction that may still commit has an
-- xid at or above that xmin, so a cursor handed out below it can never be passed by a row that commits later. It
-- needs no privilege (unlike pg_stat_activity's backend_xid, which a non-superuser owner cannot see on hosted
-- Supabase), and an idle open transaction can hold pulls back for at most idle_in_transaction_session_timeout.
-- pull_content (by updated_at) stays for app versions already installed.

-- Rows that exist now were committed before any stamp: 0 sorts them first. Later rows get their transaction's id
-- from the stamp triggers (and from the default, for tombstones).
alter table public.domains add column change_xid xid8 not null default '0';
alter table public.skills add column change_xid xid8 not null default '0';
alter table public.questions add column change_xid xid8 not null default '0';
alter table public.content_tombstones add column change_xid xid8 not null default '0';
alter table public.domains alter column change_xid set default pg_catalog.pg_current_xact_id();
alter table public.skills alter column change_xid set default pg_catalog.pg_current_xact_id();
alter table public.questions alter column change_xid set default pg_catalog.pg_current_xact_id();
alter table public.content_tombstones alter column change_xid set default pg_catalog.pg_current_xact_id();

-- Keyset paging of pull_content_page walks (change_xid, id).
create index domains_change_idx on public.domains (change_xid, id);
create index skills_change_idx on public.skills (change_xid, id);
create index questions_change_idx on public.questions (change_xid, id);
create index content_tombstones_change_idx on public.content_tombstones (change_xid, id);

-- The server clock stamps every change (never the client's), so cursors only move forward; the transaction id
-- orders the change for pull_content_page.
create or replace function public.content_stamp_row() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := clock_timestamp();
  new.change_xid := pg_catalog.pg_current_xact_id();
  if tg_op = 'INSERT' then
    new.ever_published := new.is_published;
  else
    new.ever_published := old.ever_published or new.is_published;
  end if;
  return new;
end
$$;

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
      set was_published = excluded.was_published, updated_at = excluded.updated_at, change_xid = excluded.change_xid;
    return old;
  end if;
  -- A re-created id is live again.
  delete from public.content_tombstones t where t.entity = kind and t.id = new.id;
  return new;
end
$$;

-- Epoch milliseconds of a timestamp, the device's time unit. Float arithmetic (date_part) is several times cheaper
-- than numeric (extract) per row; rounding to whole microseconds first makes it exact. Its fixed search_path (every
-- function in public has one: Supabase's function_search_path_mutable lint) keeps the planner from inlining it; the
-- call costs a little per row, which the pull pays for its 2 timestamps.
create or replace function public.content_utc_ms(ts timestamptz) returns bigint
language sql
stable
set search_path = ''
return pg_catalog.round(pg_catalog.date_part('epoch', ts) * 1000000)::bigint / 1000;

-- One page of content changes after a (change_xid, id) cursor, in that order, as
--   { "changes": [[entity, change_xid, id, values | null], ...], "held_back": boolean }
-- values are the row's columns in the device's local shape and order (electron/core/sync/pull.ts, contentColumns,
-- without the id): domain [slug, title, sort_order, is_published, created_utc_ms, updated_utc_ms]; skill [domain_id,
-- slug, title, description, sort_order, is_published, created_utc_ms, updated_utc_ms]; question [skill_id, slug,
-- type, payload, explanation, sort_order, is_published, created_utc_ms, updated_utc_ms], with is_published as 0/1
-- and payload and explanation as JSON text, so the device binds them as they come. null means "remove it": a
-- tombstone, or a row the caller may not see (any more). held_back (only on a page that is not full) says that rows
-- committed above the horizon exist: the device is not up to date yet and should not record the content version.
-- Security definer so that learners receive tombstones for rows they may no longer see without being able to read
-- drafts: drafts appear to them only as ids, and only when the row was published once (so never-published drafts
-- stay invisible). A stable function: every query here sees the snapshot whose xmin is the horizon.
create or replace function public.pull_content_page(
  after_xid xid8 default null,
  after_id uuid default null,
  page_size integer default 1000
)
returns json
language plpgsql
stable
security definer
set search_path = ''
-- Each page must walk the four (change_xid, id) indexes in order and stop after page_size rows. Without statistics
-- for change_xid (a bulk import that autovacuum has not analyzed yet), the planner would rather collect every row
-- after the cursor and sort them: a pull of n rows would cost n^2 / page_size.
set enable_sort = off
as $$
declare
  editor constant boolean := public.is_content_editor();
  lim constant integer := least(greatest(coalesce(page_size, 1000), 1), 5000);
  cur_xid constant xid8 := coalesce(after_xid, '0'::xid8);
  cur_id constant uuid := coalesce(after_id, '00000000-0000-0000-0000-000000000000'::uuid);
  -- The oldest transaction still running: it and every later one may yet commit rows, so the page stops below it.
  horizon constant xid8 := pg_catalog.pg_snapshot_xmin(pg_catalog.pg_current_snapshot());
  page json;
  page_rows integer;
  held_back boolean := false;
begin
  -- Four keyset scans merged in (change_xid, id) order (a Merge Append, no sort); each row's JSON is built only
  -- for the rows the page keeps.
  select pg_catalog.json_agg(p.item order by p.change_xid, p.id), pg_catalog.count(*)::integer
  into page, page_rows
  from (
    select u.change_xid, u.id, u.item
    from (
      (select d.change_xid, d.id, pg_catalog.json_build_array('domain', d.change_xid, d.id,
          case when editor or d.is_published then pg_catalog.json_build_array(
            d.slug, d.title, d.sort_order, d.is_published::integer,
            public.content_utc_ms(d.created_at), public.content_utc_ms(d.updated_at)) end) as item
       from public.domains d
       where (d.change_xid, d.id) > (cur_xid, cur_id) and d.change_xid < horizon and (editor or d.ever_published)
       order by d.change_xid, d.id
       limit lim)
      union all
      (select s.change_xid, s.id, pg_catalog.json_build_array('skill', s.change_xid, s.id,
          case when editor or (s.is_published and d.is_published) then pg_catalog.json_build_array(
            s.domain_id, s.slug, s.title, s.description, s.sort_order, s.is_published::integer,
            public.content_utc_ms(s.created_at), public.content_utc_ms(s.updated_at)) end)
       from public.skills s join public.domains d on d.id = s.domain_id
       where (s.change_xid, s.id) > (cur_xid, cur_id) and s.change_xid < horizon and (editor or s.ever_published)
       order by s.change_xid, s.id
       limit lim)
      union all
      (select q.change_xid, q.id, pg_catalog.json_build_array('question', q.change_xid, q.id,
          case when editor or (q.is_published and s.is_published and d.is_published) then pg_catalog.json_build_array(
            q.skill_id, q.slug, q.type, q.payload::text, q.explanation::text, q.sort_order, q.is_published::integer,
            public.content_utc_ms(q.created_at), public.content_utc_ms(q.updated_at)) end)
       from public.questions q join public.skills s on s.id = q.skill_id join public.domains d on d.id = s.domain_id
       where (q.change_xid, q.id) > (cur_xid, cur_id) and q.change_xid < horizon and (editor or q.ever_published)
       order by q.change_xid, q.id
       limit lim)
      union all
      (select t.change_xid, t.id, pg_catalog.json_build_array(t.entity, t.change_xid, t.id, null)
       from public.content_tombstones t
       where (t.change_xid, t.id) > (cur_xid, cur_id) and t.change_xid < horizon and (editor or t.was_published)
       order by t.change_xid, t.id
       limit lim)
    ) u
    order by u.change_xid, u.id
    limit lim
  ) p;

  -- Only the last page (not full) tells whether the pull is up to date.
  if page_rows < lim then
    held_back := exists (select from public.domains d where d.change_xid >= horizon)
      or exists (select from public.skills s where s.change_xid >= horizon)
      or exists (select from public.questions q where q.change_xid >= horizon)
      or exists (select from public.content_tombstones t where t.change_xid >= horizon);
  end if;
  return pg_catalog.json_build_object('changes', coalesce(page, '[]'::json), 'held_back', held_back);
end
$$;

revoke execute on function public.pull_content_page(xid8, uuid, integer), public.content_utc_ms(timestamptz)
  from public, anon, authenticated;
grant execute on function public.pull_content_page(xid8, uuid, integer) to anon, authenticated, service_role;

-- A forgotten open transaction (a psql session left in BEGIN, a crashed tool) holds every pull's horizon: end it
-- after 30 s idle. Active writers are bounded by their own statement_timeout, as Supabase sets for the API roles.
do $bound$
begin
  execute pg_catalog.format('alter database %I set idle_in_transaction_session_timeout = %L',
    pg_catalog.current_database(), '30s');
end
$bound$;
