/** The `system` toolset: machine samples, monitor health and database maintenance. */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { DevflowError } from "@devflow/events";
import { z } from "zod";
import { parsePeriod, PeriodSchema } from "../time-range.js";
import { defineOperation, READ_ONLY, WRITES, type Operation } from "../tool.js";

const Sample = z.object({
  timestamp: z.string(),
  cpuPercent: z.number(),
  memoryPercent: z.number(),
  load1: z.number(),
  processRssBytes: z.number(),
  eventLoopLagMs: z.number(),
});

const getSystemMetrics = defineOperation({
  name: "get_system_metrics",
  title: "Machine metrics",
  description:
    "CPU, memory and load of the developer's machine over a period from DevFlow's system samples: the latest sample, averages and peaks (percent, bytes, ms), and how many samples and alerts there were. Use it to tell whether the machine slowed the work.",
  toolset: "system",
  permission: "system:read",
  annotations: READ_ONLY,
  input: { period: PeriodSchema.optional() },
  output: {
    samples: z.number().int(),
    latest: Sample.nullable(),
    cpuPercent: z.object({ avg: z.number(), max: z.number() }).nullable(),
    memoryPercent: z.object({ avg: z.number(), max: z.number() }).nullable(),
    alerts: z.array(z.object({ timestamp: z.string(), data: z.record(z.string(), z.unknown()) })),
  },
  run: (args, ctx) => {
    const range = parsePeriod(args.period, ctx.clock(), "24h");
    const sampleRange = { type: "system.sample", from: range.from, to: range.to };
    const agg = ctx.storage.events.numericStats(sampleRange, ["cpuPercent", "memoryPercent"]);
    const last = ctx.storage.events.latest({
      types: ["system.sample"],
      from: range.from,
      to: range.to,
    });
    const alerts = ctx.storage.events.query({
      types: ["system.alert"],
      from: range.from,
      to: range.to,
      limit: 100,
    });
    const round = (v: number | null | undefined) => Math.round((v ?? 0) * 10) / 10;
    const n = agg.count;
    const data = last ? (last.data as Record<string, number>) : null;
    return {
      samples: n,
      latest:
        last && data
          ? {
              timestamp: new Date(last.timestamp).toISOString(),
              cpuPercent: data["cpuPercent"] ?? 0,
              memoryPercent: data["memoryPercent"] ?? 0,
              load1: data["load1"] ?? 0,
              processRssBytes: data["processRssBytes"] ?? 0,
              eventLoopLagMs: data["eventLoopLagMs"] ?? 0,
            }
          : null,
      cpuPercent:
        n === 0
          ? null
          : { avg: round(agg.fields.cpuPercent?.avg), max: round(agg.fields.cpuPercent?.max) },
      memoryPercent:
        n === 0
          ? null
          : {
              avg: round(agg.fields.memoryPercent?.avg),
              max: round(agg.fields.memoryPercent?.max),
            },
      alerts: alerts.map((a) => ({
        timestamp: new Date(a.timestamp).toISOString(),
        data: a.data,
      })),
    };
  },
  render: (r) =>
    r.samples === 0
      ? "no system samples in that period (is DevFlow running?)"
      : `${r.samples} samples; CPU avg ${r.cpuPercent?.avg}% max ${r.cpuPercent?.max}%; memory avg ${r.memoryPercent?.avg}% max ${r.memoryPercent?.max}%; ${r.alerts.length} alerts`,
});

const getMonitorHealth = defineOperation({
  name: "get_monitor_health",
  title: "Monitor health",
  description:
    "Whether DevFlow is running and the health of each monitor (file watcher, git, builds/tests, system, activity) with counters, problems and how to fix them.",
  toolset: "system",
  permission: "system:read",
  annotations: READ_ONLY,
  input: {},
  output: {
    running: z.boolean(),
    pid: z.number().int().nullable(),
    startedAt: z.string().nullable(),
    monitors: z.array(
      z.object({
        name: z.string(),
        projectId: z.string().nullable(),
        health: z.string(),
        message: z.string().nullable(),
        fix: z.string().nullable(),
        counters: z.record(z.string(), z.number()),
      }),
    ),
  },
  run: (_args, ctx) => {
    const s = ctx.runtimeStatus?.() ?? null;
    return {
      running: s?.running ?? false,
      pid: s?.pid ?? null,
      startedAt: s?.startedAt == null ? null : new Date(s.startedAt).toISOString(),
      monitors: (s?.monitors ?? []).map((m) => ({
        name: m.name,
        projectId: m.projectId ?? null,
        health: m.health,
        message: m.message ?? null,
        fix: m.fix ?? null,
        counters: { ...m.counters },
      })),
    };
  },
  render: (r) =>
    r.running
      ? [
          `running (pid ${r.pid})`,
          ...r.monitors.map((m) => `${m.name}: ${m.health}${m.message ? ` — ${m.message}` : ""}`),
        ].join("\n")
      : "DevFlow is not running; start it with `devflow up`",
});

const runMaintenance = defineOperation({
  name: "run_maintenance",
  title: "Database maintenance",
  description:
    "Runs one maintenance task on DevFlow's database: `check` (integrity and foreign keys), `backup` (online copy into <home>/backups) or `prune` (delete raw events older than `retentionDays`, default the configured 30; rollups are kept).",
  toolset: "system",
  permission: "system:admin",
  annotations: { ...WRITES, destructiveHint: true },
  input: {
    task: z.enum(["check", "backup", "prune"]),
    retentionDays: z.number().int().min(1).max(36_500).optional(),
  },
  output: {
    task: z.string(),
    ok: z.boolean(),
    detail: z.string(),
    problems: z.array(z.string()),
  },
  run: async (args, ctx) => {
    const s = ctx.storage;
    if (args.task === "check") {
      const r = s.integrityCheck();
      return {
        task: "check",
        ok: r.ok,
        detail: r.ok ? "integrity ok" : "problems found",
        problems: r.problems.slice(0, 50),
      };
    }
    if (args.task === "backup") {
      const stamp = ctx.clock().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
      // A random suffix: concurrent or same-second backups must not share (and race on) a file.
      const file = `devflow-${stamp}-${randomBytes(3).toString("hex")}.db`;
      const r = await s.backup(join(ctx.home, "backups", file));
      return {
        task: "backup",
        ok: true,
        detail: `${r.path} (${r.bytes} bytes, ${r.durationMs} ms)`,
        problems: [],
      };
    }
    if (args.task === "prune") {
      const r = await s.prune(
        args.retentionDays === undefined ? {} : { retentionDays: args.retentionDays },
      );
      return {
        task: "prune",
        ok: true,
        detail: `${r.deleted} events older than ${new Date(r.cutoff).toISOString()} deleted`,
        problems: [],
      };
    }
    throw new DevflowError("TOOLS_BAD_ARGUMENT", "task must be check, backup or prune.");
  },
  render: (r) => `${r.task}: ${r.detail}${r.problems.length ? `\n${r.problems.join("\n")}` : ""}`,
});

/** The `system` toolset. */
export const systemTools: readonly Operation[] = [
  getSystemMetrics,
  getMonitorHealth,
  runMaintenance,
];
