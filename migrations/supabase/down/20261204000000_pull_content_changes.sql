-- Reverts 20261204000000_pull_content_changes: pull_content_page holds the page's query again, exactly as before.
drop function public.pull_content_changes(xid8, uuid, integer);

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
set enable_sort = off
as $function$
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

  -- Only the last page (not full) tells whether the pull is up to date.
  if page_rows < lim then
    held_back := exists (select from public.domains d where d.change_xid >= horizon)
      or exists (select from public.skills s where s.change_xid >= horizon)
      or exists (select from public.questions q where q.change_xid >= horizon)
      or exists (select from public.content_tombstones t where t.change_xid >= horizon);
  end if;
  return pg_catalog.json_build_object('changes', coalesce(page, '[]'::json), 'held_back', held_back);
end
$function$;
