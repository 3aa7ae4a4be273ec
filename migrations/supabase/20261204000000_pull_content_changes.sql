-- The content pull as rows (issue 7, section 6): pull_content_page answered one JSON object, and PostgREST hands a
-- function's single value back through `json_agg(...)->0`, which parses the whole page again (1.4 MB for 5000
-- questions): ~35 of its ~77 ms per page. A set-returning function's rows are only joined into the answer's array, so
-- pull_content_changes returns the page's changes as rows, in (change_xid, id) order, and says whether rows are held
-- back in the X-Content-Held-Back response header (PostgREST's response.headers). The page itself is unchanged: the
-- same keyset scans below the horizon, the same visibility and tombstones. pull_content_page stays for app versions
-- already installed, as a wrapper around it.

create function public.pull_content_changes(
  after_xid xid8 default null,
  after_id uuid default null,
  page_size integer default 1000
)
returns setof json
language plpgsql
stable
security definer
set search_path = ''
-- Each page must walk the four (change_xid, id) indexes in order and stop after page_size rows (see
-- 20261201002000_pull_content_v2: without statistics for change_xid the planner would rather sort everything).
set enable_sort = off
as $$
declare
  editor constant boolean := public.is_content_editor();
  lim constant integer := least(greatest(coalesce(page_size, 1000), 1), 5000);
  cur_xid constant xid8 := coalesce(after_xid, '0'::xid8);
  cur_id constant uuid := coalesce(after_id, '00000000-0000-0000-0000-000000000000'::uuid);
  -- The oldest transaction still running: it and every later one may yet commit rows, so the page stops below it.
  horizon constant xid8 := pg_catalog.pg_snapshot_xmin(pg_catalog.pg_current_snapshot());
  page_rows integer;
  held_back boolean := false;
begin
  -- Four keyset scans merged in (change_xid, id) order (a Merge Append, no sort); each row's JSON is built only
  -- for the rows the page keeps.
  return query
  select p.item
  from (
    select u.change_xid, u.id, u.item
    from (
      (select d.change_xid, d.id, pg_catalog.json_build_array('domain', d.change_xid, d.id,
          case when editor or d.is_published then pg_catalog.json_build_array(
            d.slug, d.title, d.sort_order, d.is_published::integer,
            d.created_utc_ms, d.updated_utc_ms) end) as item
       from public.domains d
       where (d.change_xid, d.id) > (cur_xid, cur_id) and d.change_xid < horizon and (editor or d.ever_published)
       order by d.change_xid, d.id
       limit lim)
      union all
      (select s.change_xid, s.id, pg_catalog.json_build_array('skill', s.change_xid, s.id,
          case when editor or (s.is_published and d.is_published) then pg_catalog.json_build_array(
            s.domain_id, s.slug, s.title, s.description, s.sort_order, s.is_published::integer,
            s.created_utc_ms, s.updated_utc_ms) end)
       from public.skills s join public.domains d on d.id = s.domain_id
       where (s.change_xid, s.id) > (cur_xid, cur_id) and s.change_xid < horizon and (editor or s.ever_published)
       order by s.change_xid, s.id
       limit lim)
      union all
      (select q.change_xid, q.id, pg_catalog.json_build_array('question', q.change_xid, q.id,
          case when editor or (q.is_published and s.is_published and d.is_published) then pg_catalog.json_build_array(
            q.skill_id, q.slug, q.type, q.payload::text, q.explanation::text, q.sort_order, q.is_published::integer,
            q.created_utc_ms, q.updated_utc_ms) end)
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
  get diagnostics page_rows = row_count;

  -- Only the last page (not full) tells whether the pull is up to date.
  if page_rows < lim then
    held_back := exists (select from public.domains d where d.change_xid >= horizon)
      or exists (select from public.skills s where s.change_xid >= horizon)
      or exists (select from public.questions q where q.change_xid >= horizon)
      or exists (select from public.content_tombstones t where t.change_xid >= horizon);
  end if;
  -- For PostgREST's answer, and for pull_content_page in the same transaction.
  perform pg_catalog.set_config('response.headers',
    pg_catalog.json_build_array(pg_catalog.json_build_object('X-Content-Held-Back', held_back::text))::text, true);
  perform pg_catalog.set_config('study_desk.pull_held_back', held_back::text, true);
end
$$;

-- Installed apps: the same page as one object, { changes, held_back }.
create or replace function public.pull_content_page(
  after_xid xid8 default null,
  after_id uuid default null,
  page_size integer default 1000
)
returns json
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  page json;
begin
  select pg_catalog.json_agg(c) into page from public.pull_content_changes(after_xid, after_id, page_size) c;
  return pg_catalog.json_build_object('changes', coalesce(page, '[]'::json),
    'held_back', pg_catalog.current_setting('study_desk.pull_held_back')::boolean);
end
$$;

revoke execute on function public.pull_content_changes(xid8, uuid, integer) from public, anon, authenticated;
grant execute on function public.pull_content_changes(xid8, uuid, integer) to anon, authenticated, service_role;
