-- The learner's settings that follow them across devices (the blueprint's user_settings): theme, assistive mode, time
-- zone, the hour the study day starts, FSRS's desired retention and the daily review limit. One row per learner,
-- synced through sync_push (sync_apply_row hands it to sync_apply_user_settings); the newest edit wins.
create table public.user_settings (
  user_id uuid primary key references auth.users (id) on delete cascade,
  app_theme text not null check (app_theme in ('system', 'light', 'dark', 'high-contrast')),
  prefers_assistive_learning boolean not null,
  time_zone text not null check (char_length(time_zone) between 1 and 64),
  rollover_hour integer not null check (rollover_hour between 0 and 23),
  desired_retention double precision not null check (desired_retention between 0.7 and 0.99),
  daily_review_limit integer not null check (daily_review_limit between 1 and 1000),
  created_utc_ms bigint not null,
  updated_utc_ms bigint not null,
  received_at timestamptz not null default now()
);
alter table public.user_settings enable row level security;
revoke all on public.user_settings from anon, authenticated;
grant select, insert, update on public.user_settings to authenticated;
grant all on public.user_settings to service_role;
create policy user_settings_own_read on public.user_settings for select to authenticated
  using (user_id = (select auth.uid()));
create policy user_settings_own_insert on public.user_settings for insert to authenticated
  with check (user_id = (select auth.uid()));
create policy user_settings_own_update on public.user_settings for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));

insert into public.sync_tables (table_name, user_column, parent_table, parent_column, row_id_column, bulk) values
  ('user_settings', 'user_id', null, null, 'user_id', false);

-- The newest edit wins whole (the device's local merge: latest_wins in electron/core/sync/local-merge.ts).
create or replace function public.sync_apply_user_settings(row_data jsonb) returns void
language plpgsql
security invoker
set search_path = ''
as $$
declare
  u public.user_settings := jsonb_populate_record(null::public.user_settings, row_data);
begin
  insert into public.user_settings as t (user_id, app_theme, prefers_assistive_learning, time_zone, rollover_hour,
    desired_retention, daily_review_limit, created_utc_ms, updated_utc_ms)
  values (u.user_id, u.app_theme, u.prefers_assistive_learning, u.time_zone, u.rollover_hour, u.desired_retention,
    u.daily_review_limit, u.created_utc_ms, u.updated_utc_ms)
  on conflict (user_id) do update set
    app_theme = excluded.app_theme,
    prefers_assistive_learning = excluded.prefers_assistive_learning,
    time_zone = excluded.time_zone,
    rollover_hour = excluded.rollover_hour,
    desired_retention = excluded.desired_retention,
    daily_review_limit = excluded.daily_review_limit,
    created_utc_ms = least(t.created_utc_ms, excluded.created_utc_ms),
    updated_utc_ms = excluded.updated_utc_ms,
    received_at = now()
  where excluded.updated_utc_ms >= t.updated_utc_ms;
end
$$;
revoke execute on function public.sync_apply_user_settings(jsonb) from public, anon, authenticated;
grant execute on function public.sync_apply_user_settings(jsonb) to authenticated, service_role;
