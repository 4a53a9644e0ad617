CREATE TABLE `message_attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`uploader_id` text NOT NULL,
	`message_id` text,
	`position` integer DEFAULT 0 NOT NULL,
	`type` text NOT NULL,
	`content_type` text NOT NULL,
	`key` text NOT NULL,
	`preview_key` text,
	`width` integer,
	`height` integer,
	`size_bytes` integer NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`key_version` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`uploader_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `message_attachments_message_idx` ON `message_attachments` (`message_id`,`position`);--> statement-breakpoint
CREATE INDEX `message_attachments_uploader_idx` ON `message_attachments` (`uploader_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `message_attachments_conversation_idx` ON `message_attachments` (`conversation_id`);--> statement-breakpoint
CREATE INDEX `message_attachments_key_version_idx` ON `message_attachments` (`key_version`);--> statement-breakpoint
ALTER TABLE `messages` ADD `shared_post_id` text;