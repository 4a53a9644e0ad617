CREATE TABLE `queue_samples` (
	`day` integer PRIMARY KEY NOT NULL,
	`held` integer NOT NULL,
	`unrelayed_events` integer NOT NULL,
	`dead_letters` integer NOT NULL
);
