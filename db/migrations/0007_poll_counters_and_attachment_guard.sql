-- Poll results follow their votes in the same transaction (like the counters in 0001 and 0005, ADR 0007).
CREATE TRIGGER `poll_votes_counter_insert` AFTER INSERT ON `poll_votes` BEGIN
  UPDATE `poll_options` SET `votes_count` = `votes_count` + 1 WHERE `poll_id` = NEW.`poll_id` AND `position` = NEW.`position`;
  UPDATE `polls` SET `votes_count` = `votes_count` + 1 WHERE `id` = NEW.`poll_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `poll_votes_counter_delete` AFTER DELETE ON `poll_votes` BEGIN
  UPDATE `poll_options` SET `votes_count` = `votes_count` - 1 WHERE `poll_id` = OLD.`poll_id` AND `position` = OLD.`position`;
  UPDATE `polls` SET `votes_count` = `votes_count` - 1 WHERE `id` = OLD.`poll_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `poll_voters_counter_insert` AFTER INSERT ON `poll_voters` BEGIN
  UPDATE `polls` SET `voters_count` = `voters_count` + 1 WHERE `id` = NEW.`poll_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `poll_voters_counter_delete` AFTER DELETE ON `poll_voters` BEGIN
  UPDATE `polls` SET `voters_count` = `voters_count` - 1 WHERE `id` = OLD.`poll_id`;
END;
--> statement-breakpoint
-- A vote must name an option the poll has; without this a bad position would count toward nothing.
CREATE TRIGGER `poll_votes_option_exists` BEFORE INSERT ON `poll_votes`
WHEN NOT EXISTS (SELECT 1 FROM `poll_options` WHERE `poll_id` = NEW.`poll_id` AND `position` = NEW.`position`) BEGIN
  SELECT RAISE(ABORT, 'poll option does not exist');
END;
--> statement-breakpoint
-- An upload joins one post, once: two posts racing for the same upload cannot both take it. The loser's whole batch
-- (its post included) rolls back.
CREATE TRIGGER `media_attachments_attach_once` BEFORE UPDATE OF `post_id` ON `media_attachments`
WHEN OLD.`post_id` IS NOT NULL AND NEW.`post_id` IS NOT OLD.`post_id` BEGIN
  SELECT RAISE(ABORT, 'media attachment already belongs to a post');
END;
