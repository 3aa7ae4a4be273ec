-- Reverts 20261122000300_sync_rpc: drops the sync RPCs and their helpers.
drop function if exists public.content_version();
drop function if exists public.pull_content(timestamptz, uuid, integer);
drop function if exists public.sync_push(jsonb);
drop function if exists public.sync_push_set(jsonb);
drop function if exists public.sync_push_item(jsonb);
drop function if exists public.sync_apply_row(text, uuid, jsonb);
drop function if exists public.sync_apply_rows(text, jsonb);
drop function if exists public.sync_drill_status_rank(text);
drop function if exists public.sync_parse_json_columns(jsonb, text[]);
drop function if exists public.sync_json_text(jsonb);
drop function if exists public.sync_row_problem(text, uuid, jsonb);
drop table if exists public.sync_tables;
