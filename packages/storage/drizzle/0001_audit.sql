CREATE TABLE `audit_anchors` (
	`seq` integer PRIMARY KEY NOT NULL,
	`hash` text NOT NULL,
	`at` text NOT NULL,
	FOREIGN KEY (`seq`) REFERENCES `security_events`(`seq`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `security_events` (
	`seq` integer PRIMARY KEY NOT NULL,
	`timestamp` text NOT NULL,
	`type` text NOT NULL,
	`actor` text,
	`subject` text,
	`ip` text,
	`project_id` text,
	`details` text NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `idx_security_events_timestamp` ON `security_events` (`timestamp`);--> statement-breakpoint
CREATE INDEX `idx_security_events_type` ON `security_events` (`type`,`timestamp`);