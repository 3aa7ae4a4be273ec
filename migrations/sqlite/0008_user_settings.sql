-- The learner's settings that follow them across devices (the blueprint's user_settings), synced through the registry.
CREATE TABLE `user_settings` (
	`user_id` text PRIMARY KEY NOT NULL,
	`app_theme` text NOT NULL,
	`prefers_assistive_learning` integer NOT NULL,
	`time_zone` text NOT NULL,
	`rollover_hour` integer NOT NULL,
	`desired_retention` real NOT NULL,
	`daily_review_limit` integer NOT NULL,
	`created_utc_ms` integer NOT NULL,
	`updated_utc_ms` integer NOT NULL
);
