CREATE TABLE `recent_searches` (
	`user_id` text NOT NULL,
	`query` text NOT NULL,
	`searched_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `query`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `recent_searches_user_idx` ON `recent_searches` (`user_id`,`searched_at`);--> statement-breakpoint
CREATE TABLE `saved_searches` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`query` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `saved_searches_user_query_unique` ON `saved_searches` (`user_id`,`query`);
--> statement-breakpoint
-- Hand-written (drizzle-kit cannot express virtual tables; ADR 0037). The full-text index of posts: external content
-- over posts (the text is stored once), keyed by the post id as an integer (ids are 64-bit snowflakes, ADR 0003), so
-- it does not depend on posts' implicit rowid, which VACUUM may renumber. Reposts have no text of their own and are
-- left out. Triggers keep it in step in the same transaction as every insert, edit and delete (cascades included).
CREATE VIRTUAL TABLE `posts_fts` USING fts5(
  `text`, `spoiler_text`,
  content = 'posts', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `posts_fts_insert` AFTER INSERT ON `posts` WHEN NEW.`reblog_of_id` IS NULL BEGIN
  INSERT INTO `posts_fts` (rowid, `text`, `spoiler_text`) VALUES (CAST(NEW.`id` AS INTEGER), NEW.`text`, NEW.`spoiler_text`);
END;
--> statement-breakpoint
CREATE TRIGGER `posts_fts_delete` AFTER DELETE ON `posts` WHEN OLD.`reblog_of_id` IS NULL BEGIN
  INSERT INTO `posts_fts` (`posts_fts`, rowid, `text`, `spoiler_text`)
  VALUES ('delete', CAST(OLD.`id` AS INTEGER), OLD.`text`, OLD.`spoiler_text`);
END;
--> statement-breakpoint
CREATE TRIGGER `posts_fts_update` AFTER UPDATE OF `text`, `spoiler_text` ON `posts` WHEN OLD.`reblog_of_id` IS NULL BEGIN
  INSERT INTO `posts_fts` (`posts_fts`, rowid, `text`, `spoiler_text`)
  VALUES ('delete', CAST(OLD.`id` AS INTEGER), OLD.`text`, OLD.`spoiler_text`);
  INSERT INTO `posts_fts` (rowid, `text`, `spoiler_text`) VALUES (CAST(NEW.`id` AS INTEGER), NEW.`text`, NEW.`spoiler_text`);
END;
--> statement-breakpoint
INSERT INTO `posts_fts` (rowid, `text`, `spoiler_text`)
SELECT CAST(`id` AS INTEGER), `text`, `spoiler_text` FROM `posts` WHERE `reblog_of_id` IS NULL;
--> statement-breakpoint
-- Accounts by any part of the username or display name, and by near misses (shared trigrams): the trigram tokenizer.
CREATE VIRTUAL TABLE `users_fts` USING fts5(
  `username`, `display_name`,
  content = 'users', content_rowid = 'id',
  tokenize = 'trigram'
);
--> statement-breakpoint
CREATE TRIGGER `users_fts_insert` AFTER INSERT ON `users` BEGIN
  INSERT INTO `users_fts` (rowid, `username`, `display_name`) VALUES (CAST(NEW.`id` AS INTEGER), NEW.`username`, NEW.`display_name`);
END;
--> statement-breakpoint
CREATE TRIGGER `users_fts_delete` AFTER DELETE ON `users` BEGIN
  INSERT INTO `users_fts` (`users_fts`, rowid, `username`, `display_name`)
  VALUES ('delete', CAST(OLD.`id` AS INTEGER), OLD.`username`, OLD.`display_name`);
END;
--> statement-breakpoint
CREATE TRIGGER `users_fts_update` AFTER UPDATE OF `username`, `display_name` ON `users` BEGIN
  INSERT INTO `users_fts` (`users_fts`, rowid, `username`, `display_name`)
  VALUES ('delete', CAST(OLD.`id` AS INTEGER), OLD.`username`, OLD.`display_name`);
  INSERT INTO `users_fts` (rowid, `username`, `display_name`) VALUES (CAST(NEW.`id` AS INTEGER), NEW.`username`, NEW.`display_name`);
END;
--> statement-breakpoint
INSERT INTO `users_fts` (rowid, `username`, `display_name`) SELECT CAST(`id` AS INTEGER), `username`, `display_name` FROM `users`;
