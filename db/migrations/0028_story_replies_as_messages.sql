ALTER TABLE `messages` ADD `story_item_id` text;--> statement-breakpoint
ALTER TABLE `story_replies` ADD `key_version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `story_replies` ADD `conversation_id` text REFERENCES conversations(id) ON DELETE cascade;--> statement-breakpoint
-- Replies to stories are direct messages now (ADR 0043): the notifications they used to send go, with the preferences
-- for those kinds and the replies already told that way (their text was stored in clear).
DELETE FROM `notifications` WHERE `type` IN ('story_reply', 'story_reaction');--> statement-breakpoint
DELETE FROM `notification_preferences` WHERE `type` IN ('story_reply', 'story_reaction');--> statement-breakpoint
DELETE FROM `story_replies`;
