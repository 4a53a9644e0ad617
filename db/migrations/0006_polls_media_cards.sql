CREATE TABLE `media_attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_id` text NOT NULL,
	`post_id` text,
	`position` integer DEFAULT 0 NOT NULL,
	`type` text NOT NULL,
	`content_type` text NOT NULL,
	`key` text NOT NULL,
	`preview_key` text,
	`width` integer,
	`height` integer,
	`size_bytes` integer NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`focus_x` real DEFAULT 0 NOT NULL,
	`focus_y` real DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `media_attachments_post_idx` ON `media_attachments` (`post_id`,`position`);--> statement-breakpoint
CREATE INDEX `media_attachments_owner_idx` ON `media_attachments` (`owner_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `poll_options` (
	`poll_id` text NOT NULL,
	`position` integer NOT NULL,
	`title` text NOT NULL,
	`votes_count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`poll_id`, `position`),
	FOREIGN KEY (`poll_id`) REFERENCES `polls`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `poll_voters` (
	`poll_id` text NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`poll_id`, `user_id`),
	FOREIGN KEY (`poll_id`) REFERENCES `polls`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `poll_votes` (
	`poll_id` text NOT NULL,
	`user_id` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`poll_id`, `user_id`, `position`),
	FOREIGN KEY (`poll_id`) REFERENCES `polls`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `polls` (
	`id` text PRIMARY KEY NOT NULL,
	`post_id` text NOT NULL,
	`multiple` integer DEFAULT false NOT NULL,
	`expires_at` integer NOT NULL,
	`votes_count` integer DEFAULT 0 NOT NULL,
	`voters_count` integer DEFAULT 0 NOT NULL,
	`end_notified_at` integer,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `polls_post_id_unique` ON `polls` (`post_id`);--> statement-breakpoint
CREATE INDEX `polls_ending_idx` ON `polls` (`expires_at`) WHERE "polls"."end_notified_at" IS NULL;--> statement-breakpoint
CREATE TABLE `preview_cards` (
	`url` text PRIMARY KEY NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`title` text DEFAULT '' NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`provider_name` text DEFAULT '' NOT NULL,
	`image_key` text,
	`image_width` integer,
	`image_height` integer,
	`fetched_at` integer
);
--> statement-breakpoint
ALTER TABLE `posts` ADD `card_url` text;