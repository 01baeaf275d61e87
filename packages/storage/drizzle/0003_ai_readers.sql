CREATE TABLE `ai_reader_dirs` (
	`tool` text NOT NULL,
	`path` text NOT NULL,
	`mtime_ms` real NOT NULL,
	`files` text NOT NULL,
	`dirs` text NOT NULL,
	PRIMARY KEY(`tool`, `path`)
);
--> statement-breakpoint
CREATE TABLE `ai_reader_files` (
	`tool` text NOT NULL,
	`path` text NOT NULL,
	`ino` integer NOT NULL,
	`offset` integer NOT NULL,
	`size` integer NOT NULL,
	`mtime_ms` real NOT NULL,
	`tail` text NOT NULL,
	`extra` text,
	PRIMARY KEY(`tool`, `path`)
);
--> statement-breakpoint
CREATE TABLE `ai_reader_sessions` (
	`tool` text NOT NULL,
	`session_id` text NOT NULL,
	`project_id` text,
	`started_at` integer NOT NULL,
	`last_at` integer NOT NULL,
	`ended` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`tool`, `session_id`)
);
--> statement-breakpoint
CREATE INDEX `idx_ai_reader_sessions_open` ON `ai_reader_sessions` (`ended`,`last_at`);--> statement-breakpoint
CREATE TABLE `ai_reader_usage_keys` (
	`tool` text NOT NULL,
	`key` text NOT NULL,
	`sidechain` integer NOT NULL,
	`total` integer NOT NULL,
	`speed` integer NOT NULL,
	`timestamp` integer NOT NULL,
	PRIMARY KEY(`tool`, `key`)
);
--> statement-breakpoint
CREATE TABLE `ai_readers` (
	`tool` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`corrupt_lines` integer DEFAULT 0 NOT NULL,
	`generation` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL
);
