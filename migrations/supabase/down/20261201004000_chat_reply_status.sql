-- Reverts 20261201004000_chat_reply_status: sync_apply_row writes chat messages without status, source and error,
-- and the columns go.
do $patch$
declare
  patched text := pg_catalog.pg_get_functiondef('public.sync_apply_row(text, uuid, jsonb)'::pg_catalog.regprocedure);
  edits constant text[][] := array[
    array[$x$public.sync_parse_json_columns(r, array['tool_calls', 'error'])$x$, $x$public.sync_parse_json_columns(r, array['tool_calls'])$x$],
    array[$x$message_content, tool_calls, sequence, created_utc_ms, status, source, error)$x$, $x$message_content, tool_calls, sequence, created_utc_ms)$x$],
    array[$x$cm.created_utc_ms, cm.status, cm.source, cm.error)$x$, $x$cm.created_utc_ms)$x$],
    array[$x$tool_calls = excluded.tool_calls,
      status = excluded.status,
      source = excluded.source,
      error = excluded.error,$x$, $x$tool_calls = excluded.tool_calls,$x$]
  ];
begin
  for i in 1 .. pg_catalog.array_length(edits, 1) loop
    patched := pg_catalog.replace(patched, edits[i][1], edits[i][2]);
  end loop;
  execute patched;
end
$patch$;
alter table public.chat_messages drop column status, drop column source, drop column error;
