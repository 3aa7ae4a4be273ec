-- A pack import writes its rows in short transactions, each carrying the import's id in `pending_import`; while that id
-- is in `pending_imports`, learners see none of them (content/learnable.ts). The final commit deletes the one
-- `pending_imports` row, so the whole pack becomes visible at once. Cancel, or a start after a crash, deletes the
-- rows of every import still listed (content/pending.ts).
CREATE TABLE `pending_imports` (
	`id` text PRIMARY KEY NOT NULL,
	`pack_name` text NOT NULL,
	`started_utc_ms` integer NOT NULL
);--> statement-breakpoint
ALTER TABLE `domains` ADD `pending_import` text;--> statement-breakpoint
ALTER TABLE `skills` ADD `pending_import` text;--> statement-breakpoint
ALTER TABLE `questions` ADD `pending_import` text;--> statement-breakpoint
ALTER TABLE `content_packs` ADD `pending_import` text;--> statement-breakpoint
ALTER TABLE `drill_questions` ADD `pending_import` text;--> statement-breakpoint
CREATE INDEX `domains_pending_idx` ON `domains` (`pending_import`) WHERE pending_import IS NOT NULL;--> statement-breakpoint
CREATE INDEX `skills_pending_idx` ON `skills` (`pending_import`) WHERE pending_import IS NOT NULL;--> statement-breakpoint
CREATE INDEX `questions_pending_idx` ON `questions` (`pending_import`) WHERE pending_import IS NOT NULL;--> statement-breakpoint
CREATE INDEX `content_packs_pending_idx` ON `content_packs` (`pending_import`) WHERE pending_import IS NOT NULL;--> statement-breakpoint
CREATE INDEX `drill_questions_pending_idx` ON `drill_questions` (`pending_import`) WHERE pending_import IS NOT NULL;
