-- Reverts 20261203000000_pull_stored_times: pull_content_page converts the times per row again (the exact inverse
-- edits), the stored columns go, and content_utc_ms is stable and not the API roles' again.
do $unpatch$
declare
  pull_page constant regprocedure := 'public.pull_content_page(xid8, uuid, integer)'::pg_catalog.regprocedure;
  definition text := pg_catalog.pg_get_functiondef(pull_page);
  stored text;
  alias text;
begin
  foreach alias in array array['d', 's', 'q'] loop
    stored := pg_catalog.format('%1$s.created_utc_ms, %1$s.updated_utc_ms', alias);
    if pg_catalog.strpos(definition, stored) = 0 then
      raise exception 'pull_content_page has no "%" to undo', stored;
    end if;
    definition := pg_catalog.replace(definition, stored,
      pg_catalog.format('public.content_utc_ms(%1$s.created_at), public.content_utc_ms(%1$s.updated_at)', alias));
  end loop;
  execute definition;
end
$unpatch$;

revoke execute on function public.content_utc_ms(timestamptz) from authenticated;
alter table public.domains drop column created_utc_ms, drop column updated_utc_ms;
alter table public.skills drop column created_utc_ms, drop column updated_utc_ms;
alter table public.questions drop column created_utc_ms, drop column updated_utc_ms;

create or replace function public.content_utc_ms(ts timestamptz) returns bigint
language sql
stable
set search_path = ''
return pg_catalog.round(pg_catalog.date_part('epoch', ts) * 1000000)::bigint / 1000;
