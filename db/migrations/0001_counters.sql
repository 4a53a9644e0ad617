-- Counters follow their edges inside the same transaction, whichever door or script writes the edge: an
-- INSERT OR IGNORE that inserts nothing fires nothing, so the counts stay exact under retries and concurrency.
CREATE TRIGGER `follows_counters_insert` AFTER INSERT ON `follows` BEGIN
  UPDATE `users` SET `following_count` = `following_count` + 1 WHERE `id` = NEW.`follower_id`;
  UPDATE `users` SET `followers_count` = `followers_count` + 1 WHERE `id` = NEW.`followee_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `follows_counters_delete` AFTER DELETE ON `follows` BEGIN
  UPDATE `users` SET `following_count` = `following_count` - 1 WHERE `id` = OLD.`follower_id`;
  UPDATE `users` SET `followers_count` = `followers_count` - 1 WHERE `id` = OLD.`followee_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `posts_counters_insert` AFTER INSERT ON `posts` BEGIN
  UPDATE `users`
    SET `posts_count` = `posts_count` + 1,
        `last_post_at` = max(coalesce(`last_post_at`, 0), NEW.`created_at`)
    WHERE `id` = NEW.`author_id`;
  UPDATE `posts` SET `replies_count` = `replies_count` + 1 WHERE `id` = NEW.`in_reply_to_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `posts_counters_delete` AFTER DELETE ON `posts` BEGIN
  UPDATE `users` SET `posts_count` = `posts_count` - 1 WHERE `id` = OLD.`author_id`;
  UPDATE `posts` SET `replies_count` = `replies_count` - 1 WHERE `id` = OLD.`in_reply_to_id`;
END;
