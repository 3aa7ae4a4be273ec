-- Reverts 20261204000000_pull_content_changes: pull_content_page is again pull_content_changes' definition as one
-- object (the exact inverse edits, in reverse order), and pull_content_changes goes.
do $unpatch$
declare
  rows_function constant regprocedure := 'public.pull_content_changes(xid8, uuid, integer)'::pg_catalog.regprocedure;
  edits constant text[][] := array[
    array[$x$  perform pg_catalog.set_config('response.headers',
    pg_catalog.json_build_array(pg_catalog.json_build_object('X-Content-Held-Back', held_back::text))::text, true);
  perform pg_catalog.set_config('study_desk.pull_held_back', held_back::text, true);$x$,
          $x$  return pg_catalog.json_build_object('changes', coalesce(page, '[]'::json), 'held_back', held_back);$x$],
    array[E'  ) p;\n  get diagnostics page_rows = row_count;\n', E'  ) p;\n'],
    array[$x$  return query
  select p.item
  from ($x$,
          $x$  select pg_catalog.json_agg(p.item order by p.change_xid, p.id), pg_catalog.count(*)::integer
  into page, page_rows
  from ($x$],
    array[E'  page_rows integer;\n', E'  page json;\n  page_rows integer;\n'],
    array[E' RETURNS SETOF json\n', E' RETURNS json\n'],
    array['CREATE OR REPLACE FUNCTION public.pull_content_changes(', 'CREATE OR REPLACE FUNCTION public.pull_content_page(']
  ];
  definition text := pg_catalog.pg_get_functiondef(rows_function);
begin
  for i in 1 .. pg_catalog.array_length(edits, 1) loop
    if pg_catalog.strpos(definition, edits[i][1]) = 0 then
      raise exception 'pull_content_changes has no "%" to undo', edits[i][1];
    end if;
    definition := pg_catalog.replace(definition, edits[i][1], edits[i][2]);
  end loop;
  execute definition;
end
$unpatch$;

drop function public.pull_content_changes(xid8, uuid, integer);
