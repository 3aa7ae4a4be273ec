-- The content pull as rows (issue 7, section 6): pull_content_page answered one JSON object, and PostgREST hands a
-- function's single value back through `json_agg(...)->0`, which parses the whole page again (1.4 MB for 5000
-- questions): ~35 of its ~77 ms per page. A set-returning function's rows are only joined into the answer's array, so
-- pull_content_changes returns the page's changes as rows, in (change_xid, id) order, and says whether rows are held
-- back in the X-Content-Held-Back response header (PostgREST's response.headers). The page itself is unchanged: the
-- same keyset scans below the horizon, the same visibility and tombstones. pull_content_page stays for app versions
-- already installed, as a wrapper around it.

-- pull_content_changes is pull_content_page's own definition with these edits, each checked to apply: its name, a set
-- of rows, the page's rows returned (their JSON built as before) instead of aggregated, and held_back set for
-- PostgREST's answer (response.headers) and for pull_content_page in the same transaction.
do $patch$
declare
  page_function constant regprocedure := 'public.pull_content_page(xid8, uuid, integer)'::pg_catalog.regprocedure;
  edits constant text[][] := array[
    array['CREATE OR REPLACE FUNCTION public.pull_content_page(', 'CREATE FUNCTION public.pull_content_changes('],
    array[E' RETURNS json\n', E' RETURNS SETOF json\n'],
    array[E'  page json;\n  page_rows integer;\n', E'  page_rows integer;\n'],
    array[$x$  select pg_catalog.json_agg(p.item order by p.change_xid, p.id), pg_catalog.count(*)::integer
  into page, page_rows
  from ($x$,
          $x$  return query
  select p.item
  from ($x$],
    array[E'  ) p;\n', E'  ) p;\n  get diagnostics page_rows = row_count;\n'],
    array[$x$  return pg_catalog.json_build_object('changes', coalesce(page, '[]'::json), 'held_back', held_back);$x$,
          $x$  perform pg_catalog.set_config('response.headers',
    pg_catalog.json_build_array(pg_catalog.json_build_object('X-Content-Held-Back', held_back::text))::text, true);
  perform pg_catalog.set_config('study_desk.pull_held_back', held_back::text, true);$x$]
  ];
  definition text := pg_catalog.pg_get_functiondef(page_function);
begin
  for i in 1 .. pg_catalog.array_length(edits, 1) loop
    if pg_catalog.strpos(definition, edits[i][1]) = 0 then
      raise exception 'pull_content_page has no "%" to make pull_content_changes from', edits[i][1];
    end if;
    definition := pg_catalog.replace(definition, edits[i][1], edits[i][2]);
  end loop;
  execute definition;
end
$patch$;

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
