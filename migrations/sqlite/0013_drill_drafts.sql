-- A drill answer still being written, kept so that a reload or a closed window does not strand its STARTED session
-- (electron/core/drills/drills.ts writes it). Device-only: not in the sync registry, so never in the outbox.
CREATE TABLE `drill_drafts` (
	`session_id` text PRIMARY KEY NOT NULL,
	`mode` text NOT NULL,
	`transcript` text NOT NULL,
	`audio_path` text,
	`audio_duration_s` real,
	`elapsed_ms` integer NOT NULL,
	`typing_ms` integer,
	`updated_utc_ms` integer NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `drill_sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
