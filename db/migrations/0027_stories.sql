CREATE TABLE `close_friends` (
	`owner_id` text NOT NULL,
	`friend_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`owner_id`, `friend_id`),
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`friend_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `highlight_items` (
	`highlight_id` text NOT NULL,
	`item_id` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`highlight_id`, `item_id`),
	FOREIGN KEY (`highlight_id`) REFERENCES `highlights`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`item_id`) REFERENCES `story_items`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `highlight_items_item_idx` ON `highlight_items` (`item_id`);--> statement-breakpoint
CREATE TABLE `highlights` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_id` text NOT NULL,
	`title` text NOT NULL,
	`cover_item_id` text,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`cover_item_id`) REFERENCES `story_items`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `highlights_owner_idx` ON `highlights` (`owner_id`,`position`);--> statement-breakpoint
CREATE TABLE `story_hidden_from` (
	`owner_id` text NOT NULL,
	`hidden_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`owner_id`, `hidden_id`),
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`hidden_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `story_items` (
	`id` text PRIMARY KEY NOT NULL,
	`author_id` text NOT NULL,
	`audience` text NOT NULL,
	`media_type` text NOT NULL,
	`content_type` text NOT NULL,
	`key` text NOT NULL,
	`preview_key` text,
	`width` integer,
	`height` integer,
	`duration_ms` integer,
	`alt_text` text DEFAULT '' NOT NULL,
	`overlay_text` text,
	`overlay_position` text,
	`overlay_colour` text,
	`link_url` text,
	`mentioned_user_id` text,
	`poll_question` text,
	`poll_option_a` text,
	`poll_option_b` text,
	`shared_from_id` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`expired_at` integer,
	`files_kept` integer DEFAULT true NOT NULL,
	`archived` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`mentioned_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `story_items_author_idx` ON `story_items` (`author_id`,`expires_at`);--> statement-breakpoint
CREATE INDEX `story_items_expiring_idx` ON `story_items` (`expires_at`) WHERE "story_items"."expired_at" IS NULL;--> statement-breakpoint
CREATE INDEX `story_items_expired_idx` ON `story_items` (`expired_at`) WHERE "story_items"."expired_at" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `story_mutes` (
	`muter_id` text NOT NULL,
	`muted_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`muter_id`, `muted_id`),
	FOREIGN KEY (`muter_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`muted_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `story_poll_votes` (
	`item_id` text NOT NULL,
	`voter_id` text NOT NULL,
	`option` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`item_id`, `voter_id`),
	FOREIGN KEY (`item_id`) REFERENCES `story_items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`voter_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `story_replies` (
	`id` text PRIMARY KEY NOT NULL,
	`item_id` text NOT NULL,
	`from_user_id` text NOT NULL,
	`kind` text NOT NULL,
	`text` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`item_id`) REFERENCES `story_items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`from_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `story_replies_item_idx` ON `story_replies` (`item_id`,`id`);--> statement-breakpoint
CREATE TABLE `story_settings` (
	`user_id` text PRIMARY KEY NOT NULL,
	`archive` integer DEFAULT true NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `story_views` (
	`item_id` text NOT NULL,
	`viewer_id` text NOT NULL,
	`viewed_at` integer NOT NULL,
	PRIMARY KEY(`item_id`, `viewer_id`),
	FOREIGN KEY (`item_id`) REFERENCES `story_items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`viewer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `story_views_viewer_idx` ON `story_views` (`viewer_id`,`item_id`);--> statement-breakpoint
ALTER TABLE `notifications` ADD `story_item_id` text REFERENCES story_items(id) ON DELETE cascade;--> statement-breakpoint
ALTER TABLE `notifications` ADD `story_reply_id` text REFERENCES story_replies(id) ON DELETE cascade;