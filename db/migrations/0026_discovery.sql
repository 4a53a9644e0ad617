CREATE TABLE `moment_items` (
	`moment_id` text NOT NULL,
	`post_id` text NOT NULL,
	`position` integer NOT NULL,
	`added_at` integer NOT NULL,
	PRIMARY KEY(`moment_id`, `post_id`),
	FOREIGN KEY (`moment_id`) REFERENCES `moments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `moment_items_order_idx` ON `moment_items` (`moment_id`,`position`);--> statement-breakpoint
CREATE TABLE `moments` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_id` text NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`cover_media_id` text,
	`visibility` text DEFAULT 'public' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`cover_media_id`) REFERENCES `media_attachments`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `moments_owner_idx` ON `moments` (`owner_id`,`id`);--> statement-breakpoint
CREATE TABLE `suggestion_dismissals` (
	`user_id` text NOT NULL,
	`account_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `account_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `trend_decisions` (
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`decision` text NOT NULL,
	`decided_by` text,
	`decided_at` integer NOT NULL,
	PRIMARY KEY(`kind`, `key`),
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `trends` (
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`score` real NOT NULL,
	`peak_score` real NOT NULL,
	`peak_at` integer NOT NULL,
	`accounts` integer NOT NULL,
	`history` text NOT NULL,
	`computed_at` integer NOT NULL,
	PRIMARY KEY(`kind`, `key`)
);
--> statement-breakpoint
CREATE INDEX `trends_kind_score_idx` ON `trends` (`kind`,`score`);