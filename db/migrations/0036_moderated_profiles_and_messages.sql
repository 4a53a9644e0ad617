ALTER TABLE `users` ADD `profile_moderation_state` text;--> statement-breakpoint
CREATE INDEX `users_profile_held_idx` ON `users` (`id`) WHERE "users"."profile_moderation_state" IS NOT NULL;--> statement-breakpoint
ALTER TABLE `messages` ADD `moderation_state` text;--> statement-breakpoint
CREATE INDEX `messages_moderated_idx` ON `messages` (`moderation_state`,`id`) WHERE "messages"."moderation_state" IS NOT NULL;--> statement-breakpoint
ALTER TABLE `moderation_actions` ADD `message_id` text;