CREATE TABLE `direct_conversation_posts` (
	`conversation_id` text NOT NULL,
	`post_id` text NOT NULL,
	PRIMARY KEY(`conversation_id`, `post_id`),
	FOREIGN KEY (`conversation_id`) REFERENCES `direct_conversations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `direct_conversation_posts_post_idx` ON `direct_conversation_posts` (`post_id`);--> statement-breakpoint
CREATE TABLE `direct_conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`thread_id` text NOT NULL,
	`participant_ids` text NOT NULL,
	`last_status_id` text NOT NULL,
	`unread` integer DEFAULT false NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `direct_conversations_key_unique` ON `direct_conversations` (`user_id`,`thread_id`,`participant_ids`);--> statement-breakpoint
CREATE INDEX `direct_conversations_user_idx` ON `direct_conversations` (`user_id`,`last_status_id`);--> statement-breakpoint
CREATE INDEX `direct_conversations_last_status_idx` ON `direct_conversations` (`last_status_id`);--> statement-breakpoint
ALTER TABLE `conversations` ADD `picture_key` text;