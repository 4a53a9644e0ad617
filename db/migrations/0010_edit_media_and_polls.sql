ALTER TABLE `post_edits` ADD `media_ids` text;--> statement-breakpoint
ALTER TABLE `post_edits` ADD `poll_options` text;--> statement-breakpoint
DROP TRIGGER `media_attachments_attach_once`;
--> statement-breakpoint
-- An upload still joins one post at a time: it cannot move from one post to another, even in a race. It may now be
-- let go (post_id set to NULL): delete-and-redraft keeps the files for the new draft.
CREATE TRIGGER `media_attachments_attach_once` BEFORE UPDATE OF `post_id` ON `media_attachments`
WHEN OLD.`post_id` IS NOT NULL AND NEW.`post_id` IS NOT NULL AND NEW.`post_id` IS NOT OLD.`post_id` BEGIN
  SELECT RAISE(ABORT, 'media attachment already belongs to a post');
END;
