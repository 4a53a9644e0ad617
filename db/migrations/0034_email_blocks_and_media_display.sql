CREATE TABLE `canonical_email_blocks` (
	`id` text PRIMARY KEY NOT NULL,
	`canonical_email_hash` text NOT NULL,
	`created_by_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`created_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `canonical_email_blocks_canonical_email_hash_unique` ON `canonical_email_blocks` (`canonical_email_hash`);--> statement-breakpoint
ALTER TABLE `users` ADD `media_display` text DEFAULT 'default' NOT NULL;