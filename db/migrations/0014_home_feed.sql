CREATE TABLE `home_feed_entries` (
	`owner_id` text NOT NULL,
	`post_id` text NOT NULL,
	`author_id` text NOT NULL,
	`original_id` text NOT NULL,
	`original_author_id` text NOT NULL,
	PRIMARY KEY(`owner_id`, `post_id`),
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `home_feed_entries_original_idx` ON `home_feed_entries` (`owner_id`,`original_id`);--> statement-breakpoint
CREATE INDEX `home_feed_entries_author_idx` ON `home_feed_entries` (`owner_id`,`author_id`);--> statement-breakpoint
CREATE INDEX `home_feed_entries_post_idx` ON `home_feed_entries` (`post_id`);