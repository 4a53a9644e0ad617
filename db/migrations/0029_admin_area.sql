CREATE TABLE `active_days` (
	`day` integer NOT NULL,
	`user_id` text NOT NULL,
	PRIMARY KEY(`day`, `user_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `custom_emojis` (
	`id` text PRIMARY KEY NOT NULL,
	`shortcode` text NOT NULL,
	`key` text NOT NULL,
	`content_type` text NOT NULL,
	`category` text,
	`disabled` integer DEFAULT false NOT NULL,
	`created_by_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`created_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `custom_emojis_shortcode_idx` ON `custom_emojis` (`shortcode`);--> statement-breakpoint
CREATE TABLE `report_notes` (
	`id` text PRIMARY KEY NOT NULL,
	`report_id` text NOT NULL,
	`author_id` text,
	`text` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `report_notes_report_idx` ON `report_notes` (`report_id`,`id`);--> statement-breakpoint
CREATE INDEX `posts_moderated_idx` ON `posts` (`moderation_state`,`id`) WHERE "posts"."moderation_state" IS NOT NULL;