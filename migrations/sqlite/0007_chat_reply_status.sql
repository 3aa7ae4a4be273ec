ALTER TABLE `chat_messages` ADD `status` text;--> statement-breakpoint
ALTER TABLE `chat_messages` ADD `source` text;--> statement-breakpoint
ALTER TABLE `chat_messages` ADD `error` text;
