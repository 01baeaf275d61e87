/**
 * `get_project_status`: the one-call overview of a project, computed from rollups and indexed
 * reads only (so it stays fast on millions of events). Shared by the tool and the
 * `devflow://projects/{id}/status` resource.
 */
import type { Project } from "@devflow/storage";
import { z } from "zod";
import type { ToolContext } from "../context.js";

const DAY = 86_400_000;

/** The output shape of `get_project_status`. */
export const ProjectStatusShape = {
  project: z.object({
    id: z.string(),
    name: z.string(),
    rootPath: z.string(),
    createdAt: z.string().describe("ISO 8601"),
  }),
  lastEventAt: z.string().nullable().describe("ISO 8601 of the newest stored event"),
  eventsToday: z.number().int().describe("events since 00:00 UTC"),
  events7d: z.number().int().describe("events in the last 7 UTC days including today"),
  byCategory7d: z
    .array(z.object({ category: z.string(), count: z.number().int() }))
    .describe("events of the last 7 days per category (file, git, build, test, ai, …), most first"),
  activeMinutesToday: z.number().describe("active time since 00:00 UTC, minutes"),
  activeMinutes7d: z.number().describe("active time in the last 7 days, minutes"),
  commits: z.number().int().describe("commits stored for the project"),
  lastCommit: z
    .object({
      hash: z.string(),
      author: z.string(),
      authoredAt: z.string(),
      subject: z.string().nullable(),
    })
    .nullable(),
  stage: z
    .object({
      stage: z.string(),
      subStage: z.string().nullable(),
      confidence: z.number(),
      since: z.string(),
    })
    .nullable()
    .describe("the current development stage, when the stage analyzer has run"),
  running: z.boolean().describe("whether a DevFlow process is monitoring right now"),
  monitors: z.array(
    z.object({ name: z.string(), health: z.string(), message: z.string().nullable() }),
  ),
};

/** The result of {@link projectStatus}. */
export type ProjectStatus = z.infer<z.ZodObject<typeof ProjectStatusShape>>;

/** Computes the status of `project` at `ctx.clock()`. */
export function projectStatus(ctx: ToolContext, project: Project): ProjectStatus {
  const now = ctx.clock().getTime();
  const today = Math.floor(now / DAY) * DAY;
  const from7 = today - 6 * DAY;
  const { storage } = ctx;
  const daily = storage.rollups.series({
    bucket: "1d",
    from: from7,
    to: today + DAY,
    projectId: project.id,
  });
  let eventsToday = 0;
  let events7d = 0;
  let activeToday = 0;
  let active7d = 0;
  const byCategory = new Map<string, number>();
  for (const point of daily) {
    events7d += point.count;
    const category = point.type.split(".")[0] ?? point.type;
    byCategory.set(category, (byCategory.get(category) ?? 0) + point.count);
    if (point.bucketStart >= today) eventsToday += point.count;
    if (point.type === "activity.heartbeat") {
      active7d += point.durationMs;
      if (point.bucketStart >= today) activeToday += point.durationMs;
    }
  }
  const lastEvent = storage.events.lastActivityAt(project.id);
  const latest = storage.commits.latest(project.id);
  const transition = storage.work.lastTransition(project.id);
  const status = ctx.runtimeStatus?.() ?? null;
  const monitors = (status?.monitors ?? []).filter(
    (m) => m.projectId === undefined || m.projectId === null || m.projectId === project.id,
  );
  return {
    project: {
      id: project.id,
      name: project.name,
      rootPath: project.rootPath,
      createdAt: new Date(project.createdAt).toISOString(),
    },
    lastEventAt: lastEvent == null ? null : new Date(lastEvent).toISOString(),
    eventsToday,
    events7d,
    byCategory7d: [...byCategory]
      .map(([category, count]) => ({ category, count }))
      .sort((a, b) => b.count - a.count || a.category.localeCompare(b.category)),
    activeMinutesToday: Math.round(activeToday / 600) / 100,
    activeMinutes7d: Math.round(active7d / 600) / 100,
    commits: storage.commits.count(project.id),
    lastCommit: latest
      ? {
          hash: latest.hash,
          author: latest.authorName,
          authoredAt: new Date(latest.authoredAt).toISOString(),
          subject: latest.message?.split("\n")[0] ?? null,
        }
      : null,
    stage: transition
      ? {
          stage: transition.toStage,
          subStage: transition.subStage,
          confidence: transition.confidence,
          since: new Date(transition.timestamp).toISOString(),
        }
      : null,
    running: status?.running ?? false,
    monitors: monitors.map((m) => ({ name: m.name, health: m.health, message: m.message ?? null })),
  };
}

/** A short text rendering of a status. */
export function renderProjectStatus(s: ProjectStatus): string {
  return [
    `${s.project.name} (${s.project.id}) at ${s.project.rootPath}`,
    `events: ${s.eventsToday} today, ${s.events7d} in 7 days (${s.byCategory7d
      .slice(0, 5)
      .map((c) => `${c.category} ${c.count}`)
      .join(", ")})`,
    `active: ${s.activeMinutesToday} min today, ${s.activeMinutes7d} min in 7 days`,
    `commits: ${s.commits}${s.lastCommit ? `, last ${s.lastCommit.hash.slice(0, 8)} by ${s.lastCommit.author} at ${s.lastCommit.authoredAt}` : ""}`,
    `stage: ${s.stage ? `${s.stage.stage}${s.stage.subStage ? `/${s.stage.subStage}` : ""} (confidence ${s.stage.confidence.toFixed(2)}, since ${s.stage.since})` : "not analysed yet"}`,
    `monitoring: ${s.running ? s.monitors.map((m) => `${m.name} ${m.health}`).join(", ") || "running" : "not running"}`,
  ].join("\n");
}
