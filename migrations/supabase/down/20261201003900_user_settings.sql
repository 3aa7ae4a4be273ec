-- Reverts 20261201003900_user_settings.
delete from public.sync_tables where table_name = 'user_settings';
drop function if exists public.sync_apply_user_settings(jsonb);
drop table if exists public.user_settings;
