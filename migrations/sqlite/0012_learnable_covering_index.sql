-- The learnable rule (content/learnable.ts) reads each question's pending_import since 0011; without it in this index,
-- the library tree's per-skill counts looked up every question's row (41 ms instead of 10 at 100k questions).
DROP INDEX `questions_skill_published_order_idx`;--> statement-breakpoint
CREATE INDEX `questions_skill_published_order_idx` ON `questions` (`skill_id`,`is_published`,`sort_order`,`id`,`pending_import`);