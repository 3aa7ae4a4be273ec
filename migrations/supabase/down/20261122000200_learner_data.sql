-- Reverts 20261122000200_learner_data: drops the learner tables (children first) and the push receipts.
drop table if exists public.sync_receipts;
drop table if exists public.evaluation_results;
drop table if exists public.drill_responses;
drop table if exists public.drill_sessions;
drop table if exists public.chat_messages;
drop table if exists public.chat_sessions;
drop table if exists public.profile;
drop table if exists public.skill_progress;
drop table if exists public.attempts;
drop table if exists public.sessions;
