CREATE TABLE `list_feed_entries` (
	`list_id` text NOT NULL,
	`post_id` text NOT NULL,
	`author_id` text NOT NULL,
	`original_id` text NOT NULL,
	`original_author_id` text NOT NULL,
	PRIMARY KEY(`list_id`, `post_id`),
	FOREIGN KEY (`list_id`) REFERENCES `lists`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `list_feed_entries_original_idx` ON `list_feed_entries` (`list_id`,`original_id`);--> statement-breakpoint
CREATE INDEX `list_feed_entries_author_idx` ON `list_feed_entries` (`list_id`,`author_id`);--> statement-breakpoint
CREATE INDEX `list_feed_entries_post_idx` ON `list_feed_entries` (`post_id`);--> statement-breakpoint
DROP INDEX `list_members_user_idx`;--> statement-breakpoint
CREATE INDEX `list_members_user_idx` ON `list_members` (`user_id`,`list_id`);--> statement-breakpoint
ALTER TABLE `users` ADD `last_active_day` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `home_feed_stale` integer DEFAULT false NOT NULL;