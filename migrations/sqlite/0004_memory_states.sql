-- FSRS memory states: one per learner and question, written with the attempt that reviewed it (issue 12).
CREATE TABLE `memory_states` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`question_id` text NOT NULL,
	`stability` real NOT NULL,
	`difficulty` real NOT NULL,
	`due_utc_ms` integer NOT NULL,
	`scheduled_days` integer NOT NULL,
	`learning_steps` integer NOT NULL,
	`reps` integer NOT NULL,
	`lapses` integer NOT NULL,
	`state` integer NOT NULL,
	`last_review_utc_ms` integer NOT NULL,
	`updated_utc_ms` integer NOT NULL
);--> statement-breakpoint
CREATE UNIQUE INDEX `memory_states_user_question_uq` ON `memory_states` (`user_id`,`question_id`);--> statement-breakpoint
CREATE INDEX `memory_states_user_due_idx` ON `memory_states` (`user_id`,`due_utc_ms`);
