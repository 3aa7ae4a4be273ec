-- sync_push hardening (issue 8, items 3, 5 and 14):
-- - one set-wise check of a whole batch (sync_batch_problems) that both push paths use: owner and row id as before,
--   plus events only on content this server ever published (live or tombstoned, else `unknown_content`) and sane
--   bounds on XP, streak and progress;
-- - the snapshots of one session collapse in one pass (no pass per snapshot: a push of 4,000 snapshots of one row was
--   quadratic);
-- - at most 1,000 items per push, and a statement_timeout for the learners' role;
-- - the profile is written only through sync_push (no direct INSERT/UPDATE for learners);
-- - every function in public has a fixed search_path.

-- The bounds a pushed row must keep. XP: 10 per correct answer, so 100 million is ten million correct answers.
-- Streak: a daily streak of 100 years. Counters of one skill: ten million answers.
create or replace function public.sync_bounds() returns jsonb
language sql immutable
set search_path = ''
as $$
  select '{"xp": 100000000, "streak_count": 36500, "skill_count": 10000000}'::jsonb
$$;

-- Why sync_push cannot take each item of a batch as it is (a readable reason), or null, by position (1-based): the one
-- check both push paths make on every row before applying it, set-wise so that a batch costs one call. Security
-- definer only to see whether content was ever published (a learner cannot read drafts); it reads, never writes,
-- and names nothing about a draft beyond what `unknown_content` says for any id. Raises only for an id that is not
-- a UUID or a measure that is not a number.
create or replace function public.sync_batch_problems(items jsonb) returns table (n bigint, problem text)
language sql
stable
security definer
set search_path = ''
as $$
  select e.n, case
    when pg_catalog.jsonb_typeof(e.v operator(pg_catalog.->) 'row') is distinct from 'object'
      then 'row must be a JSON object'
    when t.table_name is null then pg_catalog.format('unknown table_name "%s"', e.v operator(pg_catalog.->>) 'table_name')
    when t.user_column is not null
      and pg_catalog.lower(e.v operator(pg_catalog.->) 'row' operator(pg_catalog.->>) t.user_column)
        is distinct from (select auth.uid())::text
      then 'user_id does not match the signed-in user'
    when (e.v operator(pg_catalog.->) 'row' operator(pg_catalog.->>) t.row_id_column)::uuid
        is distinct from (e.v operator(pg_catalog.->>) 'row_id')::uuid
      then 'row_id does not match row.' || t.row_id_column
    -- A session's shape is checked here too, because its snapshots are merged before they are inserted.
    when t.table_name = 'sessions' and (e.v operator(pg_catalog.->) 'row' operator(pg_catalog.->>) 'started_utc_ms') is null
      then 'started_utc_ms is required'
    when t.table_name = 'sessions'
      and coalesce(e.v operator(pg_catalog.->) 'row' operator(pg_catalog.->>) 'mode', 'practice') not in ('practice', 'test')
      then pg_catalog.format('mode "%s" is not practice or test', e.v operator(pg_catalog.->) 'row' operator(pg_catalog.->>) 'mode')
    when ref.content_id is not null
      and not exists (
        select 1 from public.questions q where ref.entity = 'question' and q.id = ref.content_id and q.ever_published
        union all
        select 1 from public.skills s where ref.entity = 'skill' and s.id = ref.content_id and s.ever_published
        union all
        select 1 from public.content_tombstones x
        where x.entity = ref.entity and x.id = ref.content_id and x.was_published)
      then 'unknown_content'
    when t.table_name = 'profile' then (
      select pg_catalog.format('%s %s is out of bounds (0 to %s)', k, e.v operator(pg_catalog.->) 'row' operator(pg_catalog.->>) k,
        b.bounds operator(pg_catalog.->>) k)
      from pg_catalog.unnest(array['xp', 'streak_count']) k
      where (e.v operator(pg_catalog.->) 'row' operator(pg_catalog.->>) k)::numeric
        not between 0 and (b.bounds operator(pg_catalog.->>) k)::numeric
      limit 1)
    when t.table_name = 'skill_progress' then (
      select pg_catalog.format('%s %s is out of bounds (0 to %s)', k, e.v operator(pg_catalog.->) 'row' operator(pg_catalog.->>) k,
        case when k = 'progress' then '1' else b.bounds operator(pg_catalog.->>) 'skill_count' end)
      from pg_catalog.unnest(array['progress', 'mastered_count', 'attempt_count', 'correct_count']) k
      where (e.v operator(pg_catalog.->) 'row' operator(pg_catalog.->>) k)::numeric not between 0
        and case when k = 'progress' then 1 else (b.bounds operator(pg_catalog.->>) 'skill_count')::numeric end
      limit 1)
  end
  from pg_catalog.jsonb_array_elements(items) with ordinality e (v, n)
    left join public.sync_tables t on t.table_name = e.v operator(pg_catalog.->>) 'table_name'
    -- The content a learner event points to: the question answered or drilled, the skill practised or asked about.
    left join lateral (
      select c.entity, (e.v operator(pg_catalog.->) 'row' operator(pg_catalog.->>) c.col)::uuid as content_id
      from (values ('attempts', 'question', 'question_id'), ('drill_sessions', 'question', 'question_id'),
        ('memory_states', 'question', 'question_id'), ('sessions', 'skill', 'skill_id'),
        ('skill_progress', 'skill', 'skill_id'), ('chat_sessions', 'skill', 'skill_id'))
        c (table_name, entity, col)
      where c.table_name = t.table_name
    ) ref on true,
    (select public.sync_bounds() as bounds) b
  order by e.n
$$;

-- One row's problem, for the item-by-item path: the same check on a batch of one.
create or replace function public.sync_row_problem(target_table text, target_row_id uuid, row_data jsonb) returns text
language sql
stable
set search_path = ''
as $$
  select p.problem from public.sync_batch_problems(pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
    'table_name', target_table, 'row_id', target_row_id, 'row', row_data))) p
$$;

-- A local JSON column's value arrives as JSON text (SQLite TEXT): in each row of `row_list`, a named column holding a
-- JSON string becomes the JSON that string holds; anything else stays as it is. One call per batch: with a fixed
-- search_path (as every function in public has) a SQL function no longer inlines, and a call per row and column
-- cost the set-wise push about a fifth of its time.
create or replace function public.sync_parse_rows(row_list jsonb, json_columns text[]) returns jsonb
language sql immutable
set search_path = ''
as $$
  select coalesce(pg_catalog.jsonb_agg(e.r operator(pg_catalog.||) coalesce(
      (select pg_catalog.jsonb_object_agg(c, (e.r operator(pg_catalog.->>) c)::pg_catalog.jsonb)
       from pg_catalog.unnest(json_columns) c
       where pg_catalog.jsonb_typeof(e.r operator(pg_catalog.->) c) = 'string'),
      '{}'::jsonb) order by e.n), '[]'::jsonb)
  from pg_catalog.jsonb_array_elements(row_list) with ordinality e (r, n)
$$;

-- The same rule for one value (the item-by-item path parses column by column to name a bad one).
create or replace function public.sync_json_text(value jsonb) returns jsonb
language sql immutable
set search_path = ''
as $$
  select case when value is not null then
    public.sync_parse_rows(pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object('v', value)), array['v'])
      operator(pg_catalog.->) 0 operator(pg_catalog.->) 'v' end
$$;

-- The profile's merge, with the definer's rights: learners have no INSERT or UPDATE on public.profile, so "XP only
-- grows" cannot be bypassed with a direct PATCH. It checks the row itself (owner, bounds), so calling it directly
-- grants nothing that sync_push does not.
create or replace function public.sync_apply_profile(row_data jsonb) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  p public.profile := jsonb_populate_record(null::public.profile, row_data);
  problem text := public.sync_row_problem('profile', p.user_id, row_data);
begin
  if problem is not null then
    raise exception '%', problem using errcode = '42501';
  end if;
  -- xp only grows; the streak belongs to the most recent activity; the newest edit names the learner.
  insert into public.profile as t (user_id, display_name, xp, streak_count, last_active_day, last_active_utc_ms,
    created_utc_ms, updated_utc_ms)
  values (p.user_id, p.display_name, coalesce(p.xp, 0), coalesce(p.streak_count, 0), p.last_active_day,
    p.last_active_utc_ms, p.created_utc_ms, p.updated_utc_ms)
  on conflict (user_id) do update set
    display_name = case when excluded.updated_utc_ms >= t.updated_utc_ms
      then coalesce(excluded.display_name, t.display_name) else t.display_name end,
    xp = greatest(t.xp, excluded.xp),
    streak_count = case
      when coalesce(excluded.last_active_utc_ms, -1) > coalesce(t.last_active_utc_ms, -1) then excluded.streak_count
      when excluded.last_active_utc_ms = t.last_active_utc_ms then greatest(t.streak_count, excluded.streak_count)
      else t.streak_count end,
    last_active_day = case
      when coalesce(excluded.last_active_utc_ms, -1) > coalesce(t.last_active_utc_ms, -1) then excluded.last_active_day
      else t.last_active_day end,
    last_active_utc_ms = greatest(t.last_active_utc_ms, excluded.last_active_utc_ms),
    created_utc_ms = least(t.created_utc_ms, excluded.created_utc_ms),
    updated_utc_ms = greatest(t.updated_utc_ms, excluded.updated_utc_ms),
    received_at = now();
end
$$;

-- Applies snapshots of the busiest tables (sessions, attempts, skill_progress) for the signed-in user in a few
-- statements, whatever their number: rows are objects already checked against the user and their row_id, in queue
-- order, and their JSON text columns are parsed on the way (sync_apply_row parses them first to name a bad one).
-- Raises with a readable reason naming the first row it cannot take. Invoker rights: RLS guards every write.
create or replace function public.sync_apply_rows(target_table text, snapshots jsonb)
returns void
language plpgsql
security invoker
set search_path = ''
as $$
declare
  inserted bigint;
  taken_attempt uuid;
begin
  case target_table
  when 'sessions' then
    -- The snapshots of one session merge into one proposed row in one pass, by the same rules the upsert applies
    -- between the server's row and a snapshot, so merging them first gives what applying them in queue order gives:
    -- the newest non-null skill, score and meta, the newest mode, the earliest start and the latest end. (Each
    -- snapshot's shape was checked by sync_batch_problems, since only the merged row meets the table's constraints.)
    insert into public.sessions as t (id, user_id, skill_id, mode, started_utc_ms, ended_utc_ms, score, meta)
    select m.id, m.user_id, m.skill_id, m.mode, m.started_utc_ms, m.ended_utc_ms, m.score, m.meta
    from (
      select s.id,
        (array_agg(s.user_id order by e.n desc))[1] as user_id,
        (array_agg(s.skill_id order by e.n desc) filter (where s.skill_id is not null))[1] as skill_id,
        (array_agg(coalesce(s.mode, 'practice') order by e.n desc))[1] as mode,
        min(s.started_utc_ms) as started_utc_ms,
        max(s.ended_utc_ms) as ended_utc_ms,
        (array_agg(s.score order by e.n desc) filter (where s.score is not null))[1] as score,
        (array_agg(s.meta order by e.n desc) filter (where s.meta is not null))[1] as meta,
        min(e.n) as first_n
      from jsonb_array_elements(public.sync_parse_rows(snapshots, array['meta'])) with ordinality e (r, n),
        jsonb_populate_record(null::public.sessions, e.r) s
      group by s.id
    ) m
    order by m.first_n
    on conflict (id) do update set
      skill_id = coalesce(excluded.skill_id, t.skill_id),
      mode = excluded.mode,
      started_utc_ms = least(t.started_utc_ms, excluded.started_utc_ms),
      ended_utc_ms = greatest(t.ended_utc_ms, excluded.ended_utc_ms),
      score = coalesce(excluded.score, t.score),
      meta = coalesce(excluded.meta, t.meta),
      received_at = now();

  when 'attempts' then
    -- An attempt whose session the user has not pushed is refused by RLS (attempts_own_insert checks every
    -- proposed row, even one that then conflicts); sync_apply_row first says so in words.
    -- Attempts never change: a replay (same id or same user/question/time) is a no-op, and the first snapshot wins.
    insert into public.attempts (id, user_id, question_id, session_id, answer, is_correct, ts_utc_ms, meta)
    select a.id, a.user_id, a.question_id, a.session_id, a.answer, a.is_correct, a.ts_utc_ms, a.meta
    from jsonb_array_elements(public.sync_parse_rows(snapshots, array['answer', 'meta'])) with ordinality e (r, n),
      jsonb_populate_record(null::public.attempts, e.r) a
    order by e.n
    on conflict do nothing;
    get diagnostics inserted = row_count;
    if inserted < jsonb_array_length(snapshots) then
      select a.id into taken_attempt
      from jsonb_array_elements(snapshots) e (r), jsonb_populate_record(null::public.attempts, e.r) a
      where not exists (
        select 1 from public.attempts x
        where x.id = a.id or (x.user_id = a.user_id and x.question_id = a.question_id and x.ts_utc_ms = a.ts_utc_ms))
      limit 1;
      if found then
        raise exception 'attempt id % is already used by another user', taken_attempt using errcode = '42501';
      end if;
    end if;

  when 'skill_progress' then
    -- One row per (user, skill) whatever id each device chose; every measure only grows. Each snapshot is still
    -- checked as a proposed row (constraints, RLS), and the first one of a skill new to the server creates its row...
    insert into public.skill_progress
      (id, user_id, skill_id, progress, mastered_count, attempt_count, correct_count, last_attempt_ts, updated_utc_ms)
    select sp.id, sp.user_id, sp.skill_id, coalesce(sp.progress, 0), coalesce(sp.mastered_count, 0),
      coalesce(sp.attempt_count, 0), coalesce(sp.correct_count, 0), sp.last_attempt_ts, coalesce(sp.updated_utc_ms, 0)
    from jsonb_array_elements(snapshots) with ordinality e (r, n),
      jsonb_populate_record(null::public.skill_progress, e.r) sp
    order by e.n
    on conflict (user_id, skill_id) do nothing;
    -- ...then each measure takes the greatest of the server's and all snapshots' (so their order does not matter).
    update public.skill_progress t set
      progress = greatest(t.progress, m.progress),
      mastered_count = greatest(t.mastered_count, m.mastered_count),
      attempt_count = greatest(t.attempt_count, m.attempt_count),
      correct_count = greatest(t.correct_count, m.correct_count),
      last_attempt_ts = greatest(t.last_attempt_ts, m.last_attempt_ts),
      updated_utc_ms = greatest(t.updated_utc_ms, m.updated_utc_ms),
      received_at = now()
    from (
      select sp.user_id, sp.skill_id, max(coalesce(sp.progress, 0)) as progress,
        max(coalesce(sp.mastered_count, 0)) as mastered_count, max(coalesce(sp.attempt_count, 0)) as attempt_count,
        max(coalesce(sp.correct_count, 0)) as correct_count, max(sp.last_attempt_ts) as last_attempt_ts,
        max(coalesce(sp.updated_utc_ms, 0)) as updated_utc_ms
      from jsonb_array_elements(snapshots) e (r), jsonb_populate_record(null::public.skill_progress, e.r) sp
      group by sp.user_id, sp.skill_id
    ) m
    where t.user_id = m.user_id and t.skill_id = m.skill_id;

  else
    raise exception 'sync_apply_rows does not handle table "%"', target_table;
  end case;
end
$$;

-- Applies one row snapshot for the signed-in user (auth.uid()), merging with what the server has; raises with a
-- readable reason when the row cannot be taken. Invoker rights: RLS still guards every write.
create or replace function public.sync_apply_row(target_table text, target_row_id uuid, row_data jsonb)
returns void
language plpgsql
security invoker
set search_path = ''
as $$
declare
  r jsonb := row_data;
  problem text;
  cs public.chat_sessions;
  cm public.chat_messages;
  ds public.drill_sessions;
  dr public.drill_responses;
  er public.evaluation_results;
begin
  problem := public.sync_row_problem(target_table, target_row_id, r);
  if problem is not null then
    raise exception '%', problem;
  end if;

  case target_table
  -- JSON text columns are parsed here first only so that a bad one is named.
  when 'sessions' then
    perform public.sync_apply_rows(target_table, jsonb_build_array(public.sync_parse_json_columns(r, array['meta'])));
  when 'attempts' then
    r := public.sync_parse_json_columns(r, array['answer', 'meta']);
    if (r ->> 'session_id') is not null
       and not exists (select 1 from public.sessions x where x.id = (r ->> 'session_id')::uuid) then
      raise exception 'session % of this attempt has not been pushed by the signed-in user', r ->> 'session_id';
    end if;
    perform public.sync_apply_rows(target_table, jsonb_build_array(r));
  when 'skill_progress' then
    perform public.sync_apply_rows(target_table, jsonb_build_array(r));

  when 'profile' then
    perform public.sync_apply_profile(r);

  when 'chat_sessions' then
    cs := jsonb_populate_record(null::public.chat_sessions, public.sync_parse_json_columns(r, array['context_snapshot']));
    insert into public.chat_sessions as t (id, user_id, chat_name, context_snapshot, skill_id, is_active,
      created_utc_ms, updated_utc_ms)
    values (cs.id, cs.user_id, cs.chat_name, cs.context_snapshot, cs.skill_id, coalesce(cs.is_active, true),
      cs.created_utc_ms, cs.updated_utc_ms)
    on conflict (id) do update set
      chat_name = excluded.chat_name,
      context_snapshot = excluded.context_snapshot,
      skill_id = excluded.skill_id,
      is_active = excluded.is_active,
      updated_utc_ms = excluded.updated_utc_ms,
      received_at = now()
    where excluded.updated_utc_ms >= t.updated_utc_ms;

  when 'chat_messages' then
    cm := jsonb_populate_record(null::public.chat_messages, public.sync_parse_json_columns(r, array['tool_calls']));
    if not exists (select 1 from public.chat_sessions x where x.id = cm.chat_id) then
      raise exception 'chat session % has not been pushed by the signed-in user', cm.chat_id using errcode = '42501';
    end if;
    insert into public.chat_messages as t (id, chat_id, sender, message_content, tool_calls, sequence, created_utc_ms)
    values (cm.id, cm.chat_id, cm.sender, cm.message_content, coalesce(cm.tool_calls, '[]'), cm.sequence,
      cm.created_utc_ms)
    on conflict (id) do update set
      message_content = excluded.message_content,
      tool_calls = excluded.tool_calls,
      received_at = now();

  when 'drill_sessions' then
    ds := jsonb_populate_record(null::public.drill_sessions, public.sync_parse_json_columns(r, array['metadata']));
    insert into public.drill_sessions as t (id, user_id, question_id, content_pack_version, status, started_utc_ms,
      submitted_utc_ms, completed_utc_ms, processing_time_ms, metadata)
    values (ds.id, ds.user_id, ds.question_id, ds.content_pack_version, ds.status, ds.started_utc_ms,
      ds.submitted_utc_ms, ds.completed_utc_ms, ds.processing_time_ms, ds.metadata)
    on conflict (id) do update set
      status = case when public.sync_drill_status_rank(excluded.status) >= public.sync_drill_status_rank(t.status)
        then excluded.status else t.status end,
      submitted_utc_ms = coalesce(excluded.submitted_utc_ms, t.submitted_utc_ms),
      completed_utc_ms = coalesce(excluded.completed_utc_ms, t.completed_utc_ms),
      processing_time_ms = coalesce(excluded.processing_time_ms, t.processing_time_ms),
      metadata = coalesce(excluded.metadata, t.metadata),
      received_at = now();

  when 'drill_responses' then
    dr := jsonb_populate_record(null::public.drill_responses, r);
    if not exists (select 1 from public.drill_sessions x where x.id = dr.session_id) then
      raise exception 'drill session % has not been pushed by the signed-in user', dr.session_id using errcode = '42501';
    end if;
    insert into public.drill_responses as t (id, session_id, content, audio_url, audio_duration_s, word_count,
      created_utc_ms)
    values (dr.id, dr.session_id, dr.content, dr.audio_url, dr.audio_duration_s, dr.word_count, dr.created_utc_ms)
    on conflict (id) do update set
      content = excluded.content,
      audio_url = excluded.audio_url,
      audio_duration_s = excluded.audio_duration_s,
      word_count = excluded.word_count,
      received_at = now();

  when 'evaluation_results' then
    er := jsonb_populate_record(null::public.evaluation_results,
      public.sync_parse_json_columns(r, array['categories', 'what_changed']));
    if not exists (select 1 from public.drill_sessions x where x.id = er.session_id) then
      raise exception 'drill session % has not been pushed by the signed-in user', er.session_id using errcode = '42501';
    end if;
    insert into public.evaluation_results as t (id, session_id, response_id, duration_s, words, wpm, overall_score,
      categories, what_changed, practice_rule, model_used, processing_time_ms, created_utc_ms)
    values (er.id, er.session_id, er.response_id, er.duration_s, er.words, er.wpm, er.overall_score, er.categories,
      er.what_changed, er.practice_rule, er.model_used, er.processing_time_ms, er.created_utc_ms)
    on conflict (id) do update set
      duration_s = excluded.duration_s,
      words = excluded.words,
      wpm = excluded.wpm,
      overall_score = excluded.overall_score,
      categories = excluded.categories,
      what_changed = excluded.what_changed,
      practice_rule = excluded.practice_rule,
      model_used = excluded.model_used,
      processing_time_ms = excluded.processing_time_ms,
      received_at = now();

  else
    raise exception 'sync_apply_row does not handle table "%"', target_table;
  end case;
end
$$;

-- The fast path of sync_push: the whole batch in a few set-wise statements, answering exactly what the item-by-item
-- path would. It raises as soon as any item is doubtful (malformed, not the user's, refused by the database, or an
-- attempt queued before its session), and sync_push then redoes the batch item by item.
create or replace function public.sync_push_set(items jsonb) returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  uid uuid := auth.uid();
  answers jsonb;
  refused boolean;
  session_rows jsonb;
  attempt_rows jsonb;
  progress_rows jsonb;
  has_others boolean;
  entry jsonb;
begin
  -- One statement takes the receipts, answers each item, runs the one batch check (sync_batch_problems) on the rows to apply,
  -- and gathers those rows per busy table. A malformed item (not an object, no table_name, id or row_id missing or
  -- not a UUID) makes it raise.
  with listed as materialized (
    select l.n, l.id, l.id::uuid as outbox_id, l.table_name, l.row_id, l.row_data
    from rows from (jsonb_to_recordset(items) as (id text, table_name text, row_id uuid, "row" jsonb))
      with ordinality l (id, table_name, row_id, row_data, n)
  ),
  firsts as (
    select distinct on (l.outbox_id) l.n, l.outbox_id, l.table_name, l.row_id from listed l order by l.outbox_id, l.n
  ),
  receipted as (
    insert into public.sync_receipts (user_id, outbox_id, table_name, row_id)
    select uid, f.outbox_id, f.table_name, f.row_id from firsts f
    on conflict (user_id, outbox_id) do nothing
    returning outbox_id
  ),
  -- Only the first item of an outbox id that had no receipt is applied; the others answer duplicate.
  applied as (
    select f.n from firsts f join receipted r on r.outbox_id = f.outbox_id
  )
  select
    jsonb_agg(jsonb_build_object('id', l.id, 'status', case when a.n is null then 'duplicate' else 'accepted' end)
      order by l.n),
    coalesce(bool_or(pr.problem is not null) filter (where a.n is not null), false),
    jsonb_agg(l.row_data order by l.n) filter (where a.n is not null and l.table_name = 'sessions'),
    jsonb_agg(l.row_data order by l.n) filter (where a.n is not null and l.table_name = 'attempts'),
    jsonb_agg(l.row_data order by l.n) filter (where a.n is not null and l.table_name = 'skill_progress'),
    coalesce(bool_or(not st.bulk) filter (where a.n is not null), false)
  into answers, refused, session_rows, attempt_rows, progress_rows, has_others
  from listed l left join applied a on a.n = l.n left join public.sync_tables st on st.table_name = l.table_name
    left join public.sync_batch_problems(items) pr on pr.n = l.n;
  if refused then
    raise exception 'an item the signed-in user cannot push as it is';
  end if;
  -- Sessions are applied before attempts, but item by item an attempt queued before its session's first snapshot
  -- is rejected: such a batch goes item by item. (Looking at all items, duplicates too, only errs on the safe side.)
  if session_rows is not null and attempt_rows is not null and exists (
    with first_snapshot as (
      select (e.v ->> 'row_id')::uuid as session_id, min(e.n) as n
      from jsonb_array_elements(items) with ordinality e (v, n) where e.v ->> 'table_name' = 'sessions' group by 1
    )
    select 1 from jsonb_array_elements(items) with ordinality a (v, n)
    join first_snapshot s on s.session_id = (a.v -> 'row' ->> 'session_id')::uuid
    where a.v ->> 'table_name' = 'attempts' and s.n > a.n
  ) then
    raise exception 'an attempt queued before its session';
  end if;

  if session_rows is not null then
    perform public.sync_apply_rows('sessions', session_rows);
  end if;
  if attempt_rows is not null then
    perform public.sync_apply_rows('attempts', attempt_rows);
  end if;
  if progress_rows is not null then
    perform public.sync_apply_rows('skill_progress', progress_rows);
  end if;
  -- The profile's merges depend on the order of its snapshots, and chats and drills are few and depend on each
  -- other: those go one by one in queue order (still without a subtransaction each). None of them depends on the
  -- tables above, so applying those first changes nothing.
  if has_others then
    for entry in
      select e.v from jsonb_array_elements(items) with ordinality e (v, n)
      where not exists (select 1 from public.sync_tables st where st.table_name = e.v ->> 'table_name' and st.bulk)
        and answers -> (e.n::integer - 1) ->> 'status' = 'accepted'
      order by e.n
    loop
      perform public.sync_apply_row(entry ->> 'table_name', (entry ->> 'row_id')::uuid, entry -> 'row');
    end loop;
  end if;
  return coalesce(answers, '[]');
end
$$;

-- POST /rest/v1/rpc/sync_push {"items": [...]}: one transaction (PostgREST's), answers in input order. The batch
-- takes the set-wise fast path; only a batch with a doubtful item pays for a subtransaction per item.
create or replace function public.sync_push(items jsonb) returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  uid uuid := auth.uid();
  results jsonb := '[]';
  item jsonb;
begin
  if uid is null then
    raise exception 'sign in to push learner data' using errcode = '42501';
  end if;
  if jsonb_typeof(items) is distinct from 'array' then
    raise exception 'items must be a JSON array' using errcode = '22023';
  end if;
  -- The client sends at most 500 per push; a larger batch is refused whole (PostgREST answers HTTP 413).
  if jsonb_array_length(items) > 1000 then
    raise exception 'a push carries at most 1000 items; this one has %: send them in batches', jsonb_array_length(items)
      using errcode = 'PT413';
  end if;
  begin
    return public.sync_push_set(items);
  exception when others then
    -- Some item cannot be taken as it is: the fast path's work is rolled back and the batch goes item by item, so
    -- that item alone is rejected, with its reason.
    null;
  end;
  for item in select e.value from jsonb_array_elements(items) with ordinality as e (value, n) order by e.n loop
    results := results || jsonb_build_array(public.sync_push_item(item));
  end loop;
  return results;
end
$$;

-- Learners write their profile only through sync_push (sync_apply_profile).
revoke insert, update on public.profile from authenticated;

-- Like hosted Supabase: no statement of a learner's request runs longer than 8 s (PostgREST applies the role's
-- settings when it switches to it).
alter role authenticated set statement_timeout = '8s';

revoke execute on function public.sync_bounds(), public.sync_batch_problems(jsonb), public.sync_apply_profile(jsonb),
  public.sync_parse_rows(jsonb, text[]) from public, anon, authenticated;
grant execute on function public.sync_bounds(), public.sync_batch_problems(jsonb), public.sync_apply_profile(jsonb),
  public.sync_parse_rows(jsonb, text[]) to authenticated, service_role;
