CREATE TABLE `drafts` (
	`id` text PRIMARY KEY NOT NULL,
	`author_id` text NOT NULL,
	`text` text DEFAULT '' NOT NULL,
	`thread` text DEFAULT '[]' NOT NULL,
	`spoiler_text` text DEFAULT '' NOT NULL,
	`sensitive` integer DEFAULT false NOT NULL,
	`visibility` text NOT NULL,
	`language` text,
	`in_reply_to_id` text,
	`quote_of_id` text,
	`quote_policy` text DEFAULT 'public' NOT NULL,
	`poll` text,
	`idempotency_key` text,
	`scheduled_at` integer,
	`claimed_at` integer,
	`failure` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "drafts_failed_unscheduled" CHECK("drafts"."failure" IS NULL OR "drafts"."scheduled_at" IS NULL)
);
--> statement-breakpoint
CREATE INDEX `drafts_author_idx` ON `drafts` (`author_id`,`id`);--> statement-breakpoint
CREATE INDEX `drafts_due_idx` ON `drafts` (`scheduled_at`) WHERE "drafts"."scheduled_at" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `drafts_idempotency_unique` ON `drafts` (`author_id`,`idempotency_key`) WHERE "drafts"."idempotency_key" IS NOT NULL;--> statement-breakpoint
-- drizzle-kit leaves out the action; deleting a draft lets go of its uploads, which then expire like any upload.
ALTER TABLE `media_attachments` ADD `draft_id` text REFERENCES `drafts`(`id`) ON DELETE SET NULL;--> statement-breakpoint
CREATE INDEX `media_attachments_draft_idx` ON `media_attachments` (`draft_id`,`position`) WHERE "media_attachments"."draft_id" IS NOT NULL;--> statement-breakpoint
-- A draft or scheduled post reserves its uploads: one it holds cannot join a post nor move to another draft, even in a
-- race (the loser's whole batch rolls back). Publishing deletes the draft first in its batch, which lets go of them.
CREATE TRIGGER `media_attachments_reserved` BEFORE UPDATE OF `post_id`, `draft_id` ON `media_attachments`
WHEN NEW.`draft_id` IS NOT NULL AND (NEW.`post_id` IS NOT NULL OR (OLD.`draft_id` IS NOT NULL AND NEW.`draft_id` IS NOT OLD.`draft_id`)) BEGIN
  SELECT RAISE(ABORT, 'media attachment is reserved for a draft');
END;
