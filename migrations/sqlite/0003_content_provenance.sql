ALTER TABLE `domains` ADD `origin` text DEFAULT 'server' NOT NULL CHECK (`origin` IN ('server', 'pack'));--> statement-breakpoint
ALTER TABLE `domains` ADD `pack_name` text CHECK ((`origin` = 'pack') = (`pack_name` IS NOT NULL));--> statement-breakpoint
ALTER TABLE `skills` ADD `origin` text DEFAULT 'server' NOT NULL CHECK (`origin` IN ('server', 'pack'));--> statement-breakpoint
ALTER TABLE `skills` ADD `pack_name` text CHECK ((`origin` = 'pack') = (`pack_name` IS NOT NULL));--> statement-breakpoint
ALTER TABLE `questions` ADD `origin` text DEFAULT 'server' NOT NULL CHECK (`origin` IN ('server', 'pack'));--> statement-breakpoint
ALTER TABLE `questions` ADD `pack_name` text CHECK ((`origin` = 'pack') = (`pack_name` IS NOT NULL));--> statement-breakpoint
-- Existing rows: a database that never pulled holds only imported content, which is the latest pack's (the embedded
-- sample on most devices). One that pulled cannot tell them apart; its rows stay the server's (see docs/decisions.md).
UPDATE `domains` SET `origin` = 'pack', `pack_name` = (SELECT `name` FROM `content_packs` ORDER BY `imported_utc_ms` DESC, `id` DESC LIMIT 1)
  WHERE NOT EXISTS (SELECT 1 FROM `sync_state` WHERE `key` = 'content_cursor') AND EXISTS (SELECT 1 FROM `content_packs`);--> statement-breakpoint
UPDATE `skills` SET `origin` = 'pack', `pack_name` = (SELECT `name` FROM `content_packs` ORDER BY `imported_utc_ms` DESC, `id` DESC LIMIT 1)
  WHERE NOT EXISTS (SELECT 1 FROM `sync_state` WHERE `key` = 'content_cursor') AND EXISTS (SELECT 1 FROM `content_packs`);--> statement-breakpoint
UPDATE `questions` SET `origin` = 'pack', `pack_name` = (SELECT `name` FROM `content_packs` ORDER BY `imported_utc_ms` DESC, `id` DESC LIMIT 1)
  WHERE NOT EXISTS (SELECT 1 FROM `sync_state` WHERE `key` = 'content_cursor') AND EXISTS (SELECT 1 FROM `content_packs`);
