ALTER TABLE `users` ADD `pictures_sensitive` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `messages` ADD `sensitive` integer DEFAULT false NOT NULL;