CREATE TABLE `attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`question_id` text NOT NULL,
	`session_id` text,
	`answer` text NOT NULL,
	`is_correct` integer,
	`ts_utc_ms` integer NOT NULL,
	`meta` text,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attempts_user_question_ts_uq` ON `attempts` (`user_id`,`question_id`,`ts_utc_ms`);--> statement-breakpoint
CREATE INDEX `attempts_session_idx` ON `attempts` (`session_id`);--> statement-breakpoint
CREATE INDEX `attempts_user_ts_idx` ON `attempts` (`user_id`,`ts_utc_ms`);--> statement-breakpoint
CREATE TABLE `chat_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`chat_id` text NOT NULL,
	`sender` text NOT NULL,
	`message_content` text,
	`tool_calls` text DEFAULT '[]' NOT NULL,
	`sequence` integer NOT NULL,
	`created_utc_ms` integer NOT NULL,
	FOREIGN KEY (`chat_id`) REFERENCES `chat_sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `chat_messages_chat_sequence_uq` ON `chat_messages` (`chat_id`,`sequence`);--> statement-breakpoint
CREATE TABLE `chat_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`chat_name` text,
	`context_snapshot` text,
	`skill_id` text,
	`is_active` integer DEFAULT true NOT NULL,
	`created_utc_ms` integer NOT NULL,
	`updated_utc_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `chat_sessions_user_updated_idx` ON `chat_sessions` (`user_id`,`updated_utc_ms`);--> statement-breakpoint
CREATE TABLE `content_packs` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`version` text NOT NULL,
	`schema_version` text NOT NULL,
	`description` text,
	`sha256` text NOT NULL,
	`file_size` integer NOT NULL,
	`import_mode` text NOT NULL,
	`drill_metadata` text,
	`imported_utc_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `content_packs_name_idx` ON `content_packs` (`name`,`imported_utc_ms`);--> statement-breakpoint
CREATE TABLE `domains` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`is_published` integer DEFAULT false NOT NULL,
	`created_utc_ms` integer DEFAULT 0 NOT NULL,
	`updated_utc_ms` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `domains_slug_uq` ON `domains` (`slug`);--> statement-breakpoint
CREATE INDEX `domains_order_idx` ON `domains` (`sort_order`,`title`);--> statement-breakpoint
CREATE TABLE `drill_questions` (
	`id` text PRIMARY KEY NOT NULL,
	`pack_id` text NOT NULL,
	`category` text NOT NULL,
	`prompt` text NOT NULL,
	`expected_duration_s` integer NOT NULL,
	`evaluation_criteria` text NOT NULL,
	FOREIGN KEY (`pack_id`) REFERENCES `content_packs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `drill_questions_pack_category_idx` ON `drill_questions` (`pack_id`,`category`);--> statement-breakpoint
CREATE TABLE `drill_responses` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`content` text,
	`audio_url` text,
	`audio_duration_s` real,
	`word_count` integer,
	`created_utc_ms` integer NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `drill_sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `drill_responses_session_uq` ON `drill_responses` (`session_id`);--> statement-breakpoint
CREATE TABLE `drill_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`question_id` text NOT NULL,
	`content_pack_version` text NOT NULL,
	`status` text NOT NULL,
	`started_utc_ms` integer NOT NULL,
	`submitted_utc_ms` integer,
	`completed_utc_ms` integer,
	`processing_time_ms` integer,
	`metadata` text
);
--> statement-breakpoint
CREATE INDEX `drill_sessions_user_started_idx` ON `drill_sessions` (`user_id`,`started_utc_ms`);--> statement-breakpoint
CREATE TABLE `evaluation_results` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`response_id` text NOT NULL,
	`duration_s` real NOT NULL,
	`words` integer NOT NULL,
	`wpm` real NOT NULL,
	`overall_score` real NOT NULL,
	`categories` text NOT NULL,
	`what_changed` text NOT NULL,
	`practice_rule` text NOT NULL,
	`model_used` text NOT NULL,
	`processing_time_ms` integer NOT NULL,
	`created_utc_ms` integer NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `drill_sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`response_id`) REFERENCES `drill_responses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `evaluation_results_session_uq` ON `evaluation_results` (`session_id`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`table_name` text NOT NULL,
	`row_id` text NOT NULL,
	`payload` text NOT NULL,
	`ts_utc_ms` integer NOT NULL,
	`processed` integer DEFAULT false NOT NULL,
	`processed_utc_ms` integer,
	`attempt_count` integer DEFAULT 0 NOT NULL,
	`next_attempt_utc_ms` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`dead_utc_ms` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_table_row_ts_uq` ON `outbox` (`table_name`,`row_id`,`ts_utc_ms`);--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`ts_utc_ms`,`id`) WHERE processed = 0 AND dead_utc_ms IS NULL;--> statement-breakpoint
CREATE INDEX `outbox_dead_idx` ON `outbox` (`dead_utc_ms`) WHERE dead_utc_ms IS NOT NULL AND processed = 0;--> statement-breakpoint
CREATE TABLE `profile` (
	`user_id` text PRIMARY KEY NOT NULL,
	`display_name` text,
	`xp` integer DEFAULT 0 NOT NULL,
	`streak_count` integer DEFAULT 0 NOT NULL,
	`last_active_day` text,
	`last_active_utc_ms` integer,
	`created_utc_ms` integer NOT NULL,
	`updated_utc_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `questions` (
	`id` text PRIMARY KEY NOT NULL,
	`skill_id` text NOT NULL,
	`slug` text NOT NULL,
	`type` text NOT NULL,
	`payload` text NOT NULL,
	`explanation` text,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`is_published` integer DEFAULT false NOT NULL,
	`created_utc_ms` integer DEFAULT 0 NOT NULL,
	`updated_utc_ms` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`skill_id`) REFERENCES `skills`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `questions_skill_slug_uq` ON `questions` (`skill_id`,`slug`);--> statement-breakpoint
CREATE INDEX `questions_skill_order_idx` ON `questions` (`skill_id`,`sort_order`,`id`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`skill_id` text,
	`mode` text DEFAULT 'practice' NOT NULL,
	`started_utc_ms` integer NOT NULL,
	`ended_utc_ms` integer,
	`score` real,
	`meta` text
);
--> statement-breakpoint
CREATE INDEX `sessions_user_started_idx` ON `sessions` (`user_id`,`started_utc_ms`);--> statement-breakpoint
CREATE INDEX `sessions_user_ended_idx` ON `sessions` (`user_id`,`ended_utc_ms`);--> statement-breakpoint
CREATE TABLE `skill_progress` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`skill_id` text NOT NULL,
	`progress` real DEFAULT 0 NOT NULL,
	`mastered_count` integer DEFAULT 0 NOT NULL,
	`attempt_count` integer DEFAULT 0 NOT NULL,
	`correct_count` integer DEFAULT 0 NOT NULL,
	`last_attempt_ts` integer NOT NULL,
	`updated_utc_ms` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `skill_progress_user_skill_uq` ON `skill_progress` (`user_id`,`skill_id`);--> statement-breakpoint
CREATE TABLE `skills` (
	`id` text PRIMARY KEY NOT NULL,
	`domain_id` text NOT NULL,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`description` text,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`is_published` integer DEFAULT false NOT NULL,
	`created_utc_ms` integer DEFAULT 0 NOT NULL,
	`updated_utc_ms` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`domain_id`) REFERENCES `domains`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `skills_domain_slug_uq` ON `skills` (`domain_id`,`slug`);--> statement-breakpoint
CREATE INDEX `skills_domain_order_idx` ON `skills` (`domain_id`,`sort_order`);--> statement-breakpoint
CREATE TABLE `sync_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_utc_ms` integer NOT NULL
);
