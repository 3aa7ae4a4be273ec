-- A drill pack is DRAFT, ACTIVE or ARCHIVED; at most one pack is ACTIVE (the partial unique index), and only a pack that
-- carries drill questions (drill_metadata) can be. electron/core/drills/packs.ts is the one writer of the status.
ALTER TABLE `content_packs` ADD `status` text DEFAULT 'DRAFT' NOT NULL CHECK (`status` IN ('DRAFT', 'ACTIVE', 'ARCHIVED') AND (`status` <> 'ACTIVE' OR `drill_metadata` IS NOT NULL));--> statement-breakpoint
ALTER TABLE `content_packs` ADD `activated_utc_ms` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `content_packs_one_active_uq` ON `content_packs` (`status`) WHERE status = 'ACTIVE';--> statement-breakpoint
-- Existing devices: the newest imported drill pack becomes the active one.
UPDATE `content_packs` SET `status` = 'ACTIVE', `activated_utc_ms` = `imported_utc_ms`
  WHERE `id` = (SELECT `id` FROM `content_packs` WHERE `drill_metadata` IS NOT NULL ORDER BY `imported_utc_ms` DESC, `id` DESC LIMIT 1);
