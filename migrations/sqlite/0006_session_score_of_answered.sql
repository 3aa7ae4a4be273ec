-- A session's score is now correct of answered (unanswered questions of a session ended early are not wrong): ended
-- sessions are rescored from their attempts, as the server's migration 20261201003000 does with its own.
UPDATE `sessions` SET `score` = (
	SELECT CAST(COALESCE(SUM(`is_correct`), 0) AS REAL) / COUNT(*) FROM `attempts` WHERE `attempts`.`session_id` = `sessions`.`id`
) WHERE `ended_utc_ms` IS NOT NULL AND EXISTS (SELECT 1 FROM `attempts` WHERE `attempts`.`session_id` = `sessions`.`id`);
