CREATE TABLE `followed_tags` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`tag_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tag_id`) REFERENCES `tags`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `followed_tags_user_tag_unique` ON `followed_tags` (`user_id`,`tag_id`);--> statement-breakpoint
CREATE INDEX `followed_tags_tag_idx` ON `followed_tags` (`tag_id`,`user_id`);