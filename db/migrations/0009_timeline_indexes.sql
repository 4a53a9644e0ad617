DROP INDEX `posts_reblog_idx`;--> statement-breakpoint
DROP INDEX `posts_public_idx`;--> statement-breakpoint
CREATE INDEX `posts_reblog_idx` ON `posts` (`reblog_of_id`,`author_id`) WHERE "posts"."reblog_of_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `posts_public_idx` ON `posts` (`id`) WHERE "posts"."visibility" = 'public' AND "posts"."reblog_of_id" IS NULL;