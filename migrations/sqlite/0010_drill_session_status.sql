-- The drill session state machine in SQLite itself (electron/core/drills/state.ts holds the same rule for core):
-- STARTED → SUBMITTED → PROCESSING → COMPLETED | FAILED, one step at a time, never backwards, nothing after the end.
-- Triggers rather than a table CHECK: adding a CHECK means rebuilding drill_sessions, and dropping the old table
-- inside the migration's transaction (foreign_keys = ON) would cascade-delete every response and evaluation.
CREATE TRIGGER `drill_sessions_status_insert_check` BEFORE INSERT ON `drill_sessions`
  WHEN NEW.`status` NOT IN ('STARTED', 'SUBMITTED', 'PROCESSING', 'COMPLETED', 'FAILED')
BEGIN
  SELECT RAISE(ABORT, 'drill_sessions.status must be STARTED, SUBMITTED, PROCESSING, COMPLETED or FAILED');
END;--> statement-breakpoint
CREATE TRIGGER `drill_sessions_final_check` BEFORE UPDATE ON `drill_sessions`
  WHEN OLD.`status` IN ('COMPLETED', 'FAILED') AND (
    NEW.`status` IS NOT OLD.`status` OR NEW.`user_id` IS NOT OLD.`user_id` OR NEW.`question_id` IS NOT OLD.`question_id`
    OR NEW.`content_pack_version` IS NOT OLD.`content_pack_version` OR NEW.`started_utc_ms` IS NOT OLD.`started_utc_ms`
    OR NEW.`submitted_utc_ms` IS NOT OLD.`submitted_utc_ms` OR NEW.`completed_utc_ms` IS NOT OLD.`completed_utc_ms`
    OR NEW.`processing_time_ms` IS NOT OLD.`processing_time_ms` OR NEW.`metadata` IS NOT OLD.`metadata`)
BEGIN
  SELECT RAISE(ABORT, 'a COMPLETED or FAILED drill session cannot change');
END;--> statement-breakpoint
CREATE TRIGGER `drill_sessions_status_move_check` BEFORE UPDATE OF `status` ON `drill_sessions`
  WHEN NEW.`status` IS NOT OLD.`status` AND NOT (
    (OLD.`status` = 'STARTED' AND NEW.`status` = 'SUBMITTED')
    OR (OLD.`status` = 'SUBMITTED' AND NEW.`status` = 'PROCESSING')
    OR (OLD.`status` = 'PROCESSING' AND NEW.`status` IN ('COMPLETED', 'FAILED')))
BEGIN
  SELECT RAISE(ABORT, 'illegal drill session status change (STARTED → SUBMITTED → PROCESSING → COMPLETED | FAILED)');
END;
