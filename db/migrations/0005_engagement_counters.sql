-- Engagement counters follow their rows in the same transaction (see 0001_counters.sql and ADR 0007).
CREATE TRIGGER `favourites_counter_insert` AFTER INSERT ON `favourites` BEGIN
  UPDATE `posts` SET `favourites_count` = `favourites_count` + 1 WHERE `id` = NEW.`post_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `favourites_counter_delete` AFTER DELETE ON `favourites` BEGIN
  UPDATE `posts` SET `favourites_count` = `favourites_count` - 1 WHERE `id` = OLD.`post_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `dislikes_counter_insert` AFTER INSERT ON `dislikes` BEGIN
  UPDATE `posts` SET `dislikes_count` = `dislikes_count` + 1 WHERE `id` = NEW.`post_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `dislikes_counter_delete` AFTER DELETE ON `dislikes` BEGIN
  UPDATE `posts` SET `dislikes_count` = `dislikes_count` - 1 WHERE `id` = OLD.`post_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `reblogs_counter_insert` AFTER INSERT ON `posts` WHEN NEW.`reblog_of_id` IS NOT NULL BEGIN
  UPDATE `posts` SET `reblogs_count` = `reblogs_count` + 1 WHERE `id` = NEW.`reblog_of_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `reblogs_counter_delete` AFTER DELETE ON `posts` WHEN OLD.`reblog_of_id` IS NOT NULL BEGIN
  UPDATE `posts` SET `reblogs_count` = `reblogs_count` - 1 WHERE `id` = OLD.`reblog_of_id`;
END;
--> statement-breakpoint
CREATE UNIQUE INDEX `posts_one_reblog_each` ON `posts` (`author_id`, `reblog_of_id`) WHERE `reblog_of_id` IS NOT NULL;
