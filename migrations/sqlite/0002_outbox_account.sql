ALTER TABLE `outbox` ADD `account_id` text DEFAULT '' NOT NULL;--> statement-breakpoint
UPDATE `outbox` SET `account_id` = COALESCE(
  CASE WHEN json_valid(`payload`) THEN json_extract(`payload`, '$.user_id') END,
  (SELECT `value` FROM `sync_state` WHERE `key` = 'learner_id'),
  ''
);--> statement-breakpoint
DROP INDEX `outbox_due_idx`;--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`account_id`,`ts_utc_ms`,`id`) WHERE processed = 0 AND dead_utc_ms IS NULL;
