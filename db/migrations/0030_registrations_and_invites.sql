CREATE TABLE `invites` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`created_by_id` text,
	`max_uses` integer,
	`uses` integer DEFAULT 0 NOT NULL,
	`expires_at` integer,
	`revoked_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`created_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invites_code_unique` ON `invites` (`code`);--> statement-breakpoint
ALTER TABLE `users` ADD `approved` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `sign_up_reason` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `invite_id` text;--> statement-breakpoint
CREATE INDEX `users_pending_idx` ON `users` (`id`) WHERE "users"."approved" = 0;