-- Reverts 20261202002000_drills_server: the patches are undone where they stand (the exact inverse edits), then the
-- constraints, tables and functions it added are dropped. Drill sessions on text question ids (not UUIDs) cannot go
-- back to a uuid column and are deleted with their responses and evaluations.
do $unpatch$
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
  -- Each edit's second text back to its first, in reverse order.
  definition := pg_catalog.pg_get_functiondef(apply_row);
  for i in reverse pg_catalog.array_length(apply_edits, 1) .. 1 loop
    if pg_catalog.strpos(definition, apply_edits[i][2]) = 0 then
      raise exception 'sync_apply_row has no drill patch to undo';
    end if;
    definition := pg_catalog.replace(definition, apply_edits[i][2], apply_edits[i][1]);
  end loop;
  execute definition;

  definition := pg_catalog.pg_get_functiondef(batch_check);
  for i in reverse pg_catalog.array_length(batch_edits, 1) .. 1 loop
    if pg_catalog.strpos(definition, batch_edits[i][2]) = 0 then
      raise exception 'sync_batch_problems has no drill patch to undo';
    end if;
    definition := pg_catalog.replace(definition, batch_edits[i][2], batch_edits[i][1]);
  end loop;
  execute definition;
end
$unpatch$;

alter table public.evaluation_results
  drop constraint evaluation_results_score_check,
  drop constraint evaluation_results_categories_check,
  drop constraint evaluation_results_what_changed_check,
  drop constraint evaluation_results_processing_time_check,
  drop constraint evaluation_results_duration_check,
  drop constraint evaluation_results_words_check;
alter table public.drill_responses
  drop constraint drill_responses_audio_duration_check,
  drop constraint drill_responses_word_count_check;
alter table public.drill_sessions
  drop constraint drill_sessions_processing_time_check,
  drop constraint drill_sessions_question_check;
delete from public.drill_sessions
  where question_id !~ '^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$';
alter table public.drill_sessions alter column question_id type uuid using question_id::uuid;
drop function if exists public.drill_categories_valid(jsonb);

drop function if exists public.drill_question_published(text);
drop function if exists public.active_drill_pack();
drop function if exists public.set_content_pack_status(uuid, text);
drop table if exists public.content_packs;
drop function if exists public.content_packs_stamp();

drop function if exists public.admin_set_entitlement(text, text);
drop function if exists public.entitlement_level_of(uuid);
drop trigger if exists users_create_for_auth_user on auth.users;
drop table if exists public.users;
drop function if exists public.users_stamp_updated();
drop function if exists public.users_create_for_auth_user();
