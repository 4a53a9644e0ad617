ALTER TABLE `outbox` ADD `kind` text;--> statement-breakpoint
CREATE INDEX `outbox_kind_idx` ON `outbox` (`kind`,`to`,`created_at`) WHERE "outbox"."kind" is not null;--> statement-breakpoint
ALTER TABLE `login_events` ADD `identifier_hash` text;--> statement-breakpoint
CREATE INDEX `login_events_identifier_idx` ON `login_events` (`identifier_hash`,`created_at`) WHERE "login_events"."identifier_hash" is not null;