/**
 * The `project` toolset: status, listing and registration of projects, recent activity and
 * active time.
 */
import { statSync } from "node:fs";
import { basename } from "node:path";
import { DevflowError } from "@devflow/events";
import { z } from "zod";
import { allowedProjects, projectFor } from "../context.js";
import { canonicalPath } from "../roots.js";
import { decodeCursor, encodeCursor, PageInput, PageOutput } from "../pagination.js";
import { parsePeriod, PeriodSchema } from "../time-range.js";
import {
  column,
  DESTRUCTIVE,
  defineOperation,
  READ_ONLY,
  WRITES,
  type Operation,
} from "../tool.js";
import { projectStatus, ProjectStatusShape, renderProjectStatus } from "./project-status.js";
import { ProjectArg } from "./shared.js";

const ProjectShape = z.object({
  id: z.string(),
  name: z.string(),
  rootPath: z.string(),
  createdAt: z.string(),
  settings: z.record(z.string(), z.unknown()),
});

function toProject(p: {
  id: string;
  name: string;
  rootPath: string;
  createdAt: number;
  settings: Record<string, unknown>;
}) {
  return {
    id: p.id,
    name: p.name,
    rootPath: p.rootPath,
    createdAt: new Date(p.createdAt).toISOString(),
    settings: p.settings,
  };
}

const getProjectStatus = defineOperation({
  name: "get_project_status",
  title: "Project status",
  description:
    "Overview of one project right now: events today and in 7 days by category, active minutes, commits and the last one, the current development stage and monitor health. Use it first to orient yourself. Times are ISO 8601 UTC.",
  toolset: "project",
  permission: "project:read",
  annotations: READ_ONLY,
  input: { project: ProjectArg },
  output: ProjectStatusShape,
  run: (args, ctx) => projectStatus(ctx, projectFor(ctx, args.project)),
  render: renderProjectStatus,
});

const listProjects = defineOperation({
  name: "list_projects",
  title: "List projects",
  description:
    "The projects DevFlow monitors that this server may read (inside its project roots), oldest first, with ids to pass as `project` to other tools.",
  toolset: "project",
  permission: "project:read",
  annotations: READ_ONLY,
  input: { ...PageInput },
  output: { projects: z.array(ProjectShape), total: z.number().int(), ...PageOutput },
  run: (args, ctx) => {
    const all = allowedProjects(ctx);
    const offset =
      args.cursor === undefined
        ? 0
        : decodeCursor(args.cursor, z.object({ o: z.number().int().min(0) })).o;
    const limit = args.limit ?? 50;
    const page = all.slice(offset, offset + limit);
    return {
      projects: page.map(toProject),
      total: all.length,
      nextCursor:
        offset + page.length < all.length ? encodeCursor({ o: offset + page.length }) : null,
    };
  },
  render: (r) =>
    r.projects.length === 0
      ? "no projects (register one with register_project or `devflow project add <path>`)"
      : r.projects.map((p) => `${p.id}  ${p.name}  ${p.rootPath}`).join("\n"),
  cli: { command: ["project", "list"], summary: "list registered projects" },
  table: {
    rows: "projects",
    columns: [
      column("id", "id"),
      column("name", "name"),
      column("root", "rootPath"),
      column("added", "createdAt"),
    ],
  },
});

const registerProject = defineOperation({
  name: "register_project",
  title: "Register a project",
  description:
    "Registers a directory (inside this server's project roots) as a project so DevFlow records its activity; a running DevFlow starts monitoring it at once. Idempotent: a directory already registered returns its project with created false.",
  toolset: "project",
  permission: "project:write",
  annotations: WRITES,
  input: {
    path: z.string().min(1).max(4096).describe("Directory of the project root"),
    name: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe("Display name; default the directory name"),
  },
  output: {
    project: ProjectShape,
    created: z.boolean().describe("False when the directory was registered already"),
    monitoring: z.boolean().describe("Whether a running DevFlow monitors it now"),
  },
  run: async (args, ctx) => {
    const path = ctx.roots.resolve(args.path);
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) {
      throw new DevflowError("TOOLS_BAD_PATH", `${args.path}: not an existing directory`);
    }
    if (ctx.control !== undefined) {
      const r = await ctx.control.addProject(path, args.name);
      return { project: toProject(r.project), created: r.created, monitoring: r.monitoring };
    }
    const root = canonicalPath(path);
    const known = ctx.storage.projects.list().find((p) => canonicalPath(p.rootPath) === root);
    const project =
      known ?? ctx.storage.projects.add({ name: args.name ?? basename(path), rootPath: path });
    return { project: toProject(project), created: known === undefined, monitoring: false };
  },
  render: (r) =>
    `${r.created ? "registered" : "already registered:"} ${r.project.name} (${r.project.id}) at ${r.project.rootPath}${r.monitoring ? "; the running DevFlow is monitoring it" : ""}`,
  cli: {
    command: ["project", "add"],
    summary:
      "register a project directory (idempotent); a running `devflow up` starts monitoring it at once",
    positional: ["path"],
  },
});

const updateProject = defineOperation({
  name: "update_project",
  title: "Update a project",
  description:
    "Renames a project and/or sets settings (a null value removes a setting). Returns the updated project.",
  toolset: "project",
  permission: "project:write",
  annotations: { ...WRITES, idempotentHint: true },
  input: {
    project: ProjectArg,
    name: z.string().min(1).max(200).optional(),
    settings: z.record(z.string().max(128), z.unknown()).optional(),
  },
  output: { project: ProjectShape },
  run: (args, ctx) => {
    const project = projectFor(ctx, args.project);
    const patch: { name?: string; settings?: Record<string, unknown> } = {};
    if (args.name !== undefined) patch.name = args.name;
    if (args.settings !== undefined) {
      if (JSON.stringify(args.settings).length > 16_384) {
        throw new DevflowError("TOOLS_BAD_ARGUMENT", "settings must be at most 16 KiB of JSON.");
      }
      patch.settings = args.settings;
    }
    return { project: toProject(ctx.storage.projects.update(project.id, patch)) };
  },
  render: (r) => `updated ${r.project.name} (${r.project.id})`,
});

const removeProject = defineOperation({
  name: "remove_project",
  title: "Remove a project",
  description:
    "Stops tracking a project: a running DevFlow stops its monitors, and its registration is removed. Its stored events, rollups and commits stay (delete them with the CLI's data tools if needed).",
  toolset: "project",
  permission: "project:write",
  annotations: DESTRUCTIVE,
  input: {
    project: z.string().min(1).max(4096).describe("Project id, exact name, or a path inside it"),
  },
  output: { removed: z.boolean(), id: z.string() },
  run: async (args, ctx) => {
    const project = projectFor(ctx, args.project);
    const removed =
      ctx.control === undefined
        ? ctx.storage.projects.remove(project.id)
        : (await ctx.control.removeProject(project.id)).removed;
    return { removed, id: project.id };
  },
  render: (r) => (r.removed ? `removed ${r.id}` : `${r.id} was not registered`),
  cli: {
    command: ["project", "remove"],
    summary: "unregister a project (its stored data is kept until pruned or deleted)",
    positional: ["project"],
  },
});

const EventItem = z.object({
  id: z.string(),
  type: z.string(),
  timestamp: z.string(),
  durationMs: z.number().nullable(),
  data: z.record(z.string(), z.unknown()),
});

const getActivity = defineOperation({
  name: "get_activity",
  title: "Recent activity",
  description:
    "Events of a project in a time range, oldest first: file changes (relative paths), commits, builds and tests, AI sessions, active-time heartbeats. Filter with `types` (exact names like git.commit, or a category prefix like `file.`). Paginated.",
  toolset: "project",
  permission: "project:read",
  annotations: READ_ONLY,
  input: {
    project: ProjectArg,
    period: PeriodSchema.optional(),
    types: z.array(z.string().max(64)).max(20).optional().describe('e.g. ["git.commit", "test."]'),
    ...PageInput,
  },
  output: { events: z.array(EventItem), ...PageOutput },
  run: (args, ctx) => {
    const project = projectFor(ctx, args.project);
    const range = parsePeriod(args.period, ctx.clock(), "today");
    const after =
      args.cursor === undefined
        ? undefined
        : decodeCursor(args.cursor, z.object({ timestamp: z.number(), id: z.string() }));
    const prefixes = (args.types ?? []).filter((t) => t.endsWith("."));
    const exact = (args.types ?? []).filter((t) => !t.endsWith("."));
    const limit = args.limit ?? 50;
    const collected: z.infer<typeof EventItem>[] = [];
    let cursor = after;
    let more = true;
    // Prefix filters are applied after the indexed read; read until the page is full.
    while (collected.length < limit && more) {
      const batch = ctx.storage.events.query({
        projectId: project.id,
        from: range.from,
        to: range.to,
        ...(prefixes.length === 0 && exact.length > 0 ? { types: exact } : {}),
        limit: limit * 4,
        ...(cursor === undefined ? {} : { after: cursor }),
      });
      more = batch.length === limit * 4;
      for (const e of batch) {
        cursor = { timestamp: e.timestamp, id: e.id };
        const wanted =
          args.types === undefined ||
          exact.includes(e.type) ||
          prefixes.some((p) => e.type.startsWith(p));
        if (!wanted) continue;
        collected.push({
          id: e.id,
          type: e.type,
          timestamp: new Date(e.timestamp).toISOString(),
          durationMs: e.duration ?? null,
          data: e.data,
        });
        if (collected.length === limit) {
          more = true;
          break;
        }
      }
    }
    const last = collected.at(-1);
    return {
      events: collected,
      nextCursor:
        more && last !== undefined
          ? encodeCursor({ timestamp: Date.parse(last.timestamp), id: last.id })
          : null,
    };
  },
  render: (r) =>
    r.events.length === 0
      ? "no events in that range"
      : r.events
          .map((e) => `${e.timestamp}  ${e.type}  ${JSON.stringify(e.data).slice(0, 120)}`)
          .join("\n"),
});

const getActiveTime = defineOperation({
  name: "get_active_time",
  title: "Active time",
  description:
    "How long someone actively worked on a project (from editor/file activity heartbeats, idle gaps excluded), per UTC day and per activity category, in minutes.",
  toolset: "project",
  permission: "metrics:read",
  annotations: READ_ONLY,
  input: { project: ProjectArg, period: PeriodSchema.optional() },
  output: {
    totalMinutes: z.number(),
    days: z.array(z.object({ date: z.string(), minutes: z.number() })),
    byCategory: z.array(z.object({ category: z.string(), minutes: z.number() })),
  },
  run: (args, ctx) => {
    const project = projectFor(ctx, args.project);
    const range = parsePeriod(args.period, ctx.clock());
    const days = ctx.storage.rollups
      .series({
        bucket: "1d",
        from: Math.floor(range.from / 86_400_000) * 86_400_000,
        to: range.to,
        projectId: project.id,
        types: ["activity.heartbeat"],
      })
      .map((p) => ({
        date: new Date(p.bucketStart).toISOString().slice(0, 10),
        minutes: Math.round(p.durationMs / 600) / 100,
      }));
    const categories = ctx.storage.events.sumDurationBy(
      { type: "activity.heartbeat", projectId: project.id, from: range.from, to: range.to },
      "category",
    );
    const byCategory = categories.map((c) => ({
      category: c.value === null ? "other" : String(c.value),
      minutes: Math.round(c.durationMs / 600) / 100,
    }));
    const total = byCategory.reduce((a, c) => a + c.minutes, 0);
    return { totalMinutes: Math.round(total * 100) / 100, days, byCategory };
  },
  render: (r) =>
    `${r.totalMinutes} active minutes${r.byCategory.length ? ` (${r.byCategory.map((c) => `${c.category} ${c.minutes}`).join(", ")})` : ""}`,
});

/** The `project` toolset. */
export const projectTools: readonly Operation[] = [
  getProjectStatus,
  listProjects,
  registerProject,
  updateProject,
  removeProject,
  getActivity,
  getActiveTime,
];
