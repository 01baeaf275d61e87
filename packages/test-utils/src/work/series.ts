/**
 * Generated activity series for the bottleneck tests: four weeks of test runs and builds with
 * normal noise, a day of system samples, stage transitions with usual durations and steady
 * commits, plus optional injected anomalies: a test suite slowing 3× over the last week, the CPU
 * pinned for 20 minutes, the current stage stuck for 10 days.
 */
import type { DevflowEvent } from "@devflow/events";
import type { StageTransitionInput, Storage } from "@devflow/storage";
import { Rng } from "../history/history.js";
import { DAY, ev, HOUR, store } from "./storage.js";

/** Which anomalies to inject. */
export interface Anomalies {
  slowingTests?: boolean;
  cpuPinned?: boolean;
  stageStuck?: boolean;
}

/** A normal-ish factor around 1 with the given relative spread (Box–Muller, clipped to ±3σ). */
function noise(rng: Rng, spread: number): number {
  const z =
    Math.sqrt(-2 * Math.log(Math.max(1e-9, rng.next()))) * Math.cos(2 * Math.PI * rng.next());
  return 1 + spread * Math.max(-3, Math.min(3, z));
}

/**
 * Writes the series ending at `at` for `projectId` (random noise from `seed`, default 7):
 * returns the times of the injected anomalies.
 */
export function writeSeries(
  storage: Storage,
  where: { projectId: string; at: number; seed?: number },
  anomalies: Anomalies,
): { cpuFrom: number; stuckSince: number } {
  const { projectId, at, seed = 7 } = where;
  const rng = new Rng(seed);
  const p = { projectId };
  const events: DevflowEvent[] = [];
  const start = Math.floor(at / DAY) * DAY - 28 * DAY;
  let n = 0;
  for (let d = 0; d < 29; d++) {
    const dayStart = start + d * DAY;
    const daysLeft = (at - dayStart) / DAY;
    // Over the last 7 days the suite ramps from 1× to 3× its usual minute.
    const ramp =
      anomalies.slowingTests && daysLeft <= 7 ? 1 + 2 * Math.min(1, (7 - daysLeft + 1) / 7) : 1;
    for (let i = 0; i < 8; i++) {
      const t = dayStart + 9 * HOUR + i * HOUR + rng.int(30) * 60_000;
      if (t >= at) continue;
      const durationMs = Math.round(60_000 * ramp * noise(rng, 0.08));
      const success = rng.next() > 0.03;
      const runId = `run-${++n}`;
      events.push(
        ev(
          "build.finished",
          t,
          { runId, tool: "vitest", kind: "test", exitCode: success ? 0 : 1, success, durationMs },
          { ...p, duration: durationMs },
        ),
      );
    }
    for (let i = 0; i < 6; i++) {
      const t = dayStart + 9 * HOUR + i * 80 * 60_000 + rng.int(20) * 60_000;
      if (t >= at) continue;
      const durationMs = Math.round(20_000 * noise(rng, 0.1));
      events.push(
        ev(
          "build.finished",
          t,
          {
            runId: `build-${++n}`,
            tool: "tsc",
            kind: "build",
            exitCode: 0,
            success: true,
            durationMs,
          },
          { ...p, duration: durationMs },
        ),
      );
    }
  }
  // A day of system samples every minute; the pinned CPU is 20 minutes, 5 hours ago.
  const cpuFrom = at - 5 * HOUR;
  for (let t = at - DAY; t < at; t += 60_000) {
    const pinned = anomalies.cpuPinned && t >= cpuFrom && t < cpuFrom + 20 * 60_000;
    const cpu = pinned ? 96 + rng.next() * 4 : Math.min(100, Math.max(1, 35 * noise(rng, 0.3)));
    const memory = Math.min(100, 55 * noise(rng, 0.05));
    events.push(
      ev("system.sample", t, {
        cpuPercent: cpu,
        memoryPercent: memory,
        memoryUsedBytes: 8e9,
        memoryTotalBytes: 16e9,
        load1: 1,
        load5: 1,
        load15: 1,
        diskUsedPercent: 61,
        processRssBytes: 1e8,
        eventLoopLagMs: 1,
      }),
    );
  }
  // Stages of 1–3 days for eight weeks; the last one began 10 days ago when stuck, else 1.5.
  const stages = ["planning", "design", "frontend", "backend", "coding", "deployment", "operation"];
  const stuckSince = at - (anomalies.stageStuck ? 10 : 1.5) * DAY;
  const transitions: StageTransitionInput[] = [];
  let t = stuckSince;
  const starts: number[] = [t];
  while (t > at - 60 * DAY) starts.unshift((t -= Math.round((1 + rng.next() * 2) * DAY)));
  starts.forEach((s, i) => {
    transitions.push({
      id: `st-${i}`,
      projectId,
      fromStage: i === 0 ? null : stages[(i - 1) % stages.length]!,
      toStage: stages[i % stages.length]!,
      confidence: 0.9,
      timestamp: s,
    });
  });
  storage.work.recordTransitions(transitions);
  // Steady commits: three a day over 30 files, 5–40 lines each.
  const commits = [];
  for (let d = 0; d < 28; d++) {
    for (let i = 0; i < 3; i++) {
      const path = `src/module-${rng.int(30)}.ts`;
      commits.push({
        projectId,
        hash: (++n).toString(16).padStart(40, "0"),
        authorName: "Dev",
        authorEmail: "dev@example.com",
        authoredAt: start + d * DAY + (10 + i * 2) * HOUR,
        files: [{ path, insertions: rng.range(3, 25), deletions: rng.range(2, 15) }],
      });
    }
  }
  storage.commits.insertMany(commits.filter((c) => c.authoredAt < at));
  // An active feature branch and a merged one.
  events.push(ev("git.branch_created", at - 3 * DAY, { branch: "feature/active" }, p));
  events.push(ev("git.branch_created", at - 20 * DAY, { branch: "feature/done" }, p));
  events.push(
    ev(
      "git.merge",
      at - 18 * DAY,
      { hash: "abcdef1", parents: [], into: "main", from: "feature/done" },
      p,
    ),
  );
  store(storage, events);
  return { cpuFrom, stuckSince };
}
