-- Tutor replies (issue 9): how each reply ended (complete, stopped, interrupted, failed), where it came from (provider,
-- edge, offline) and its error, synced with the message. sync_apply_row's chat_messages branch is patched where it
-- stands (whatever migration last defined it), not copied, to write the three columns.
alter table public.chat_messages
  add column status text check (status in ('complete', 'stopped', 'interrupted', 'failed')),
  add column source text check (source in ('provider', 'edge', 'offline')),
  add column error jsonb;

do $patch$
declare
  definition text := pg_catalog.pg_get_functiondef('public.sync_apply_row(text, uuid, jsonb)'::pg_catalog.regprocedure);
  patched text := definition;
  edits constant text[][] := array[
    array[$x$public.sync_parse_json_columns(r, array['tool_calls'])$x$, $x$public.sync_parse_json_columns(r, array['tool_calls', 'error'])$x$],
    array[$x$message_content, tool_calls, sequence, created_utc_ms)$x$, $x$message_content, tool_calls, sequence, created_utc_ms, status, source, error)$x$],
    array[$x$cm.created_utc_ms)$x$, $x$cm.created_utc_ms, cm.status, cm.source, cm.error)$x$],
    array[$x$tool_calls = excluded.tool_calls,$x$, $x$tool_calls = excluded.tool_calls,
      status = excluded.status,
      source = excluded.source,
      error = excluded.error,$x$]
  ];
begin
  for i in 1 .. pg_catalog.array_length(edits, 1) loop
    if pg_catalog.strpos(patched, edits[i][1]) = 0 then
      raise exception 'sync_apply_row has no "%" to patch for chat_messages', edits[i][1];
    end if;
    patched := pg_catalog.replace(patched, edits[i][1], edits[i][2]);
  end loop;
  execute patched;
end
$patch$;
