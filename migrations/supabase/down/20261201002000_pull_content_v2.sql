-- Reverts 20261201002000_pull_content_v2: no commit-ordered pull, the stamp and tombstone triggers as
-- 20261122000100_content defined them, and no idle-transaction bound for the database.
do $bound$
begin
  execute pg_catalog.format('alter database %I reset idle_in_transaction_session_timeout', pg_catalog.current_database());
end
$bound$;

drop function if exists public.pull_content_page(xid8, uuid, integer);
drop function if exists public.content_utc_ms(timestamptz);

-- The server clock stamps every change (never the client's), so cursors only move forward.
create or replace function public.content_stamp_row() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := clock_timestamp();
  if tg_op = 'INSERT' then
    new.ever_published := new.is_published;
  else
    new.ever_published := old.ever_published or new.is_published;
  end if;
  return new;
end
$$;

-- Definer: tombstones are written on behalf of whoever deleted, who has no rights on the table itself.
create or replace function public.content_record_tombstone() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  kind text := case tg_table_name when 'domains' then 'domain' when 'skills' then 'skill' else 'question' end;
begin
  if tg_op = 'DELETE' then
    insert into public.content_tombstones (entity, id, was_published, updated_at)
    values (kind, old.id, old.ever_published, clock_timestamp())
    on conflict (entity, id) do update
      set was_published = excluded.was_published, updated_at = excluded.updated_at;
    return old;
  end if;
  -- A re-created id is live again.
  delete from public.content_tombstones t where t.entity = kind and t.id = new.id;
  return new;
end
$$;

alter table public.domains drop column change_xid;
alter table public.skills drop column change_xid;
alter table public.questions drop column change_xid;
alter table public.content_tombstones drop column change_xid;
