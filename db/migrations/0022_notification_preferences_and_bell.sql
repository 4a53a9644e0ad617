CREATE TABLE `notification_digests` (
	`user_id` text NOT NULL,
	`day` text NOT NULL,
	`outbox_id` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `day`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `notification_emails` (
	`notification_id` text PRIMARY KEY NOT NULL,
	`outbox_id` text NOT NULL,
	FOREIGN KEY (`notification_id`) REFERENCES `notifications`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `outbox` ADD `headers` text;--> statement-breakpoint
ALTER TABLE `follow_requests` ADD `notify` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `follows` ADD `notify` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `follows_notify_idx` ON `follows` (`followee_id`,`follower_id`) WHERE "follows"."notify" = 1;--> statement-breakpoint
CREATE INDEX `notification_preferences_digest_idx` ON `notification_preferences` (`user_id`) WHERE "notification_preferences"."delivery" = 'digest';