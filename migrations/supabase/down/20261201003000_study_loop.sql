-- Reverts 20261201003000_study_loop: memory states go, review sessions become practice sessions, and sync_apply_row
-- raises again for a table it does not name.
delete from public.sync_tables where table_name = 'memory_states';
drop function if exists public.sync_apply_memory_states(jsonb);
drop table if exists public.memory_states;
update public.sessions set mode = 'practice' where mode = 'review';
-- Back to correct of the questions the session had, where its meta says how many.
update public.sessions s set score = c.correct::double precision / (s.meta ->> 'question_count')::integer
from (select session_id, count(*) filter (where is_correct) as correct from public.attempts
      where session_id is not null group by session_id) c
where c.session_id = s.id and s.ended_utc_ms is not null and (s.meta ->> 'question_count')::integer > 0;
alter table public.sessions drop constraint sessions_mode_check;
alter table public.sessions add constraint sessions_mode_check check (mode in ('practice', 'test'));
do $patch$
declare
  definition text := pg_catalog.pg_get_functiondef(pg_catalog.to_regprocedure('public.sync_batch_problems(jsonb)'));
begin
  if definition is not null then
    execute pg_catalog.replace(pg_catalog.replace(definition, $x$not in ('practice', 'test', 'review')$x$,
      $x$not in ('practice', 'test')$x$), 'is not practice, test or review', 'is not practice or test');
  end if;
end
$patch$;
do $patch$
declare
  definition text := pg_catalog.pg_get_functiondef('public.sync_apply_row(text, uuid, jsonb)'::pg_catalog.regprocedure);
  unhandled constant text := $x$raise exception 'sync_apply_row does not handle table "%"', target_table;$x$;
  handled_elsewhere constant text := $x$if pg_catalog.to_regprocedure(pg_catalog.format('public.%I(jsonb)', 'sync_apply_' || target_table)) is null then
      raise exception 'sync_apply_row does not handle table "%"', target_table;
    end if;
    execute pg_catalog.format('select public.%I($1)', 'sync_apply_' || target_table) using r;$x$;
begin
  execute pg_catalog.replace(definition, handled_elsewhere, unhandled);
end
$patch$;
