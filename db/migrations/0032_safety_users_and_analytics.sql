CREATE TABLE `analytics_daily` (
	`subject_kind` text NOT NULL,
	`subject_id` text NOT NULL,
	`owner_id` text NOT NULL,
	`day` text NOT NULL,
	`registers` text,
	`viewers` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`subject_kind`, `subject_id`, `day`),
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `analytics_daily_owner_idx` ON `analytics_daily` (`owner_id`,`subject_kind`,`day`);