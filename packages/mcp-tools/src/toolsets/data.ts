/** The `data` toolset: raw event queries and exports. */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { projectFor } from "../context.js";
import { decodeCursor, encodeCursor, PageInput, PageOutput } from "../pagination.js";
import { parsePeriod, PeriodSchema } from "../time-range.js";
import { ProjectArg } from "./shared.js";
import { defineOperation, READ_ONLY, WRITES, type Operation } from "../tool.js";

const Envelope = z.object({
  id: z.string(),
  type: z.string(),
  category: z.string(),
  severity: z.string(),
  timestamp: z.string(),
  source: z.string(),
  durationMs: z.number().nullable(),
  data: z.record(z.string(), z.unknown()),
});

const queryEvents = defineOperation({
  name: "query_events",
  title: "Query events",
  description:
    "Raw DevFlow events of a project (full envelopes), oldest first, filtered by exact types and time range, with the total count. Prefer the analysis tools; use this to look at the underlying facts. Paginated.",
  toolset: "data",
  permission: "project:read",
  annotations: READ_ONLY,
  input: {
    project: ProjectArg,
    period: PeriodSchema.optional(),
    types: z
      .array(z.string().max(64))
      .max(20)
      .optional()
      .describe('Exact types, e.g. ["test.run_finished"]'),
    ...PageInput,
  },
  output: { total: z.number().int(), events: z.array(Envelope), ...PageOutput },
  run: (args, ctx) => {
    const project = projectFor(ctx, args.project);
    const range = parsePeriod(args.period, ctx.clock());
    const filter = {
      projectId: project.id,
      from: range.from,
      to: range.to,
      ...(args.types === undefined ? {} : { types: args.types }),
    };
    const after =
      args.cursor === undefined
        ? undefined
        : decodeCursor(args.cursor, z.object({ timestamp: z.number(), id: z.string() }));
    const limit = args.limit ?? 50;
    const events = ctx.storage.events.query({
      ...filter,
      limit: limit + 1,
      ...(after ? { after } : {}),
    });
    const page = events.slice(0, limit);
    const last = page.at(-1);
    return {
      total: ctx.storage.events.count(filter),
      events: page.map((e) => ({
        id: e.id,
        type: e.type,
        category: e.category,
        severity: e.severity,
        timestamp: new Date(e.timestamp).toISOString(),
        source: e.source,
        durationMs: e.duration ?? null,
        data: e.data,
      })),
      nextCursor:
        events.length > limit && last
          ? encodeCursor({ timestamp: last.timestamp, id: last.id })
          : null,
    };
  },
  render: (r) =>
    `${r.total} events${r.events.length ? `\n${r.events.map((e) => `${e.timestamp} ${e.type} ${JSON.stringify(e.data).slice(0, 100)}`).join("\n")}` : ""}`,
});

const exportData = defineOperation({
  name: "export_data",
  title: "Export data",
  description:
    "Exports one project's stored data (events, rollups, commits, metrics, stages) as JSON lines into DevFlow's exports folder and returns the file path and row counts. Credentials are never exported.",
  toolset: "data",
  permission: "project:read",
  annotations: WRITES,
  input: { project: ProjectArg },
  output: { path: z.string(), rows: z.record(z.string(), z.number().int()) },
  run: async (args, ctx) => {
    const project = projectFor(ctx, args.project);
    const stamp = ctx.clock().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
    const path = join(ctx.home, "exports", `${project.id}-${stamp}.jsonl`);
    mkdirSync(join(ctx.home, "exports"), { recursive: true, mode: 0o700 });
    const result = await ctx.storage.exportJsonl(path, { projectId: project.id });
    return { path, rows: { ...result.rows } };
  },
  render: (r) =>
    `exported to ${r.path}: ${Object.entries(r.rows)
      .map(([t, n]) => `${t} ${n}`)
      .join(", ")}`,
});

/** The `data` toolset. */
export const dataTools: readonly Operation[] = [queryEvents, exportData];
