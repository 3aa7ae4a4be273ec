ALTER TABLE `outbox` ADD `device_only_utc_ms` integer;--> statement-breakpoint
DROP INDEX `outbox_due_idx`;--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`ts_utc_ms`,`id`) WHERE processed = 0 AND dead_utc_ms IS NULL AND device_only_utc_ms IS NULL AND waiting_for_account IS NULL;--> statement-breakpoint
CREATE INDEX `outbox_device_only_idx` ON `outbox` (`device_only_utc_ms`) WHERE device_only_utc_ms IS NOT NULL AND processed = 0;
