ALTER TABLE `outbox` ADD `waiting_for_account` text;--> statement-breakpoint
UPDATE `outbox` SET `waiting_for_account` = json_extract(`payload`, '$.user_id')
  WHERE `processed` = 0 AND json_valid(`payload`) AND json_extract(`payload`, '$.user_id') IS NOT NULL
    AND json_extract(`payload`, '$.user_id') IS NOT (SELECT `value` FROM `sync_state` WHERE `key` = 'learner_id');--> statement-breakpoint
DROP INDEX `outbox_due_idx`;--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`ts_utc_ms`,`id`) WHERE processed = 0 AND dead_utc_ms IS NULL AND waiting_for_account IS NULL;
