CREATE TABLE `notification_permissions` (
	`user_id` text NOT NULL,
	`from_user_id` text NOT NULL,
	PRIMARY KEY(`user_id`, `from_user_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`from_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `notification_policies` (
	`user_id` text PRIMARY KEY NOT NULL,
	`for_not_following` text NOT NULL,
	`for_not_followers` text NOT NULL,
	`for_new_accounts` text NOT NULL,
	`for_private_mentions` text NOT NULL,
	`for_limited_accounts` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `notification_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`from_user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`from_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notification_requests_pair_unique` ON `notification_requests` (`user_id`,`from_user_id`);--> statement-breakpoint
CREATE INDEX `notification_requests_user_idx` ON `notification_requests` (`user_id`,`id`);--> statement-breakpoint
CREATE TABLE `live_listeners` (
	`channel` text NOT NULL,
	`user_id` text NOT NULL,
	`origin` text NOT NULL,
	PRIMARY KEY(`channel`, `user_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `live_listeners_user_idx` ON `live_listeners` (`user_id`);--> statement-breakpoint
ALTER TABLE `notifications` ADD `group_key` text;--> statement-breakpoint
ALTER TABLE `notifications` ADD `filtered` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `notifications_group_idx` ON `notifications` (`user_id`,`group_key`,`id`);