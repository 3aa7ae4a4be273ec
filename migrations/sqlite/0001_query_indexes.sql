DROP INDEX `attempts_user_ts_idx`;--> statement-breakpoint
DROP INDEX `outbox_table_row_ts_uq`;--> statement-breakpoint
DROP INDEX `questions_skill_order_idx`;--> statement-breakpoint
CREATE INDEX `questions_skill_published_order_idx` ON `questions` (`skill_id`,`is_published`,`sort_order`,`id`);