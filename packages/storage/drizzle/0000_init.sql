CREATE TABLE `activities` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text,
	`start` integer NOT NULL,
	`end` integer NOT NULL,
	`duration_ms` real NOT NULL,
	`category` text NOT NULL,
	`language` text,
	`entity` text
);
--> statement-breakpoint
CREATE INDEX `idx_activities_start` ON `activities` (`start`);--> statement-breakpoint
CREATE INDEX `idx_activities_project_start` ON `activities` (`project_id`,`start`);--> statement-breakpoint
CREATE TABLE `commit_files` (
	`project_id` text NOT NULL,
	`hash` text NOT NULL,
	`path` text NOT NULL,
	`insertions` integer,
	`deletions` integer,
	PRIMARY KEY(`project_id`, `hash`, `path`),
	FOREIGN KEY (`project_id`,`hash`) REFERENCES `commits`(`project_id`,`hash`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `idx_commit_files_project_path` ON `commit_files` (`project_id`,`path`);--> statement-breakpoint
CREATE TABLE `commits` (
	`project_id` text NOT NULL,
	`hash` text NOT NULL,
	`parents` text NOT NULL,
	`author_name` text NOT NULL,
	`author_email` text NOT NULL,
	`authored_at` integer NOT NULL,
	`committed_at` integer NOT NULL,
	`message` text,
	`conventional_type` text,
	`is_merge` integer NOT NULL,
	`files_changed` integer NOT NULL,
	`insertions` integer NOT NULL,
	`deletions` integer NOT NULL,
	`trailers` text NOT NULL,
	PRIMARY KEY(`project_id`, `hash`)
);
--> statement-breakpoint
CREATE INDEX `idx_commits_project_authored` ON `commits` (`project_id`,`authored_at`);--> statement-breakpoint
CREATE TABLE `events` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`category` text NOT NULL,
	`severity` text NOT NULL,
	`timestamp` integer NOT NULL,
	`duration` real,
	`source` text NOT NULL,
	`project_id` text,
	`data` text NOT NULL,
	`metadata` text,
	`correlation_id` text,
	`parent_id` text,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `idx_events_timestamp` ON `events` (`timestamp`);--> statement-breakpoint
CREATE INDEX `idx_events_type_ts` ON `events` (`type`,`timestamp`);--> statement-breakpoint
CREATE INDEX `idx_events_project_ts` ON `events` (`project_id`,`timestamp`);--> statement-breakpoint
CREATE TABLE `metrics` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text,
	`name` text NOT NULL,
	`value` real NOT NULL,
	`unit` text,
	`timestamp` integer NOT NULL,
	`tags` text
);
--> statement-breakpoint
CREATE INDEX `idx_metrics_name_ts` ON `metrics` (`name`,`timestamp`);--> statement-breakpoint
CREATE INDEX `idx_metrics_project_ts` ON `metrics` (`project_id`,`timestamp`);--> statement-breakpoint
CREATE TABLE `projects` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`root_path` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`settings` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `projects_root_path_unique` ON `projects` (`root_path`);--> statement-breakpoint
CREATE TABLE `rollups` (
	`bucket` text NOT NULL,
	`bucket_start` integer NOT NULL,
	`project_id` text DEFAULT '' NOT NULL,
	`type` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	`duration_ms` real DEFAULT 0 NOT NULL,
	PRIMARY KEY(`bucket`, `bucket_start`, `project_id`, `type`)
);
--> statement-breakpoint
CREATE INDEX `idx_rollups_start_type` ON `rollups` (`bucket`,`bucket_start`,`type`,`project_id`,`count`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `stage_transitions` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`from_stage` text,
	`to_stage` text NOT NULL,
	`sub_stage` text,
	`confidence` real NOT NULL,
	`timestamp` integer NOT NULL,
	`evidence` text
);
--> statement-breakpoint
CREATE INDEX `idx_stage_transitions_project_ts` ON `stage_transitions` (`project_id`,`timestamp`);