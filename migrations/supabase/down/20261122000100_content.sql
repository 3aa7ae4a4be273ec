-- Reverts 20261122000100_content: drops the content tables, their tombstones, the version and helpers.
drop table if exists public.questions;
drop table if exists public.skills;
drop table if exists public.domains;
drop table if exists public.content_tombstones;
drop table if exists public.content_version_state;
drop function if exists public.content_bump_version();
drop function if exists public.content_record_tombstone();
drop function if exists public.content_touch_children();
drop function if exists public.content_stamp_row();
drop function if exists public.is_content_editor();
