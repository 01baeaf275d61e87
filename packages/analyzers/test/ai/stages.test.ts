// AI sessions per development stage over a real SQLite database: sessions count in the stage in
// effect when they started, usage in the stage of each request (after de-duplication), activity
// before the first transition is "unknown" and outside registered projects "no_project".
import { describe, expect, it } from "vitest";
import {
  aiStageReport,
  NO_PROJECT_STAGE,
  StageTimeline,
  UNKNOWN_STAGE,
} from "../../src/ai/index.js";
import { ev, HOUR, store, T0, workStorage } from "@devflow/test-utils/work";

function setup() {
  const { storage, project } = workStorage();
  const other = storage.projects.add({ name: "other", rootPath: `${project.rootPath}-other` });
  // prd from T0+1h, coding from T0+5h (a sub-stage change at 6h keeps coding), testing from 9h.
  const t = (from: string | null, to: string, h: number, sub: string | null = null) => ({
    id: `st-${h}`,
    projectId: project.id,
    fromStage: from,
    toStage: to,
    subStage: sub,
    confidence: 0.8,
    timestamp: T0 + h * HOUR,
  });
  storage.work.recordTransitions([
    t(null, "prd", 1),
    t("prd", "coding", 5, "backend"),
    t("coding", "coding", 6, "frontend"),
    t("coding", "testing", 9),
  ]);
  const session = (tool: string, id: string, h: number, projectId?: string) =>
    ev(
      "ai.session_started",
      T0 + h * HOUR,
      { tool, sessionId: id, detectedBy: "transcript" },
      { source: "ai", ...(projectId ? { projectId } : {}) },
    );
  const usage = (
    id: string,
    h: number,
    input: number,
    o: { key?: string; projectId?: string; cost?: number; sidechain?: boolean } = {},
  ) =>
    ev(
      "ai.usage",
      T0 + h * HOUR,
      {
        tool: "claude-code",
        sessionId: id,
        model: "claude-sonnet-4-5",
        inputTokens: input,
        outputTokens: 10,
        cacheWriteTokens: 0,
        cacheReadTokens: 100,
        costUsd: o.cost ?? 0.5,
        costSource: "calculated",
        requestKey: o.key ?? `${id}-${h}`,
        sidechain: o.sidechain ?? false,
      },
      { source: "ai", ...(o.projectId ? { projectId: o.projectId } : {}) },
    );
  store(storage, [
    session("claude-code", "s0", 0.5, project.id), // before the first transition
    usage("s0", 0.5, 1, { projectId: project.id }),
    session("claude-code", "s1", 2, project.id), // prd
    usage("s1", 2, 100, { projectId: project.id }),
    usage("s1", 5.5, 200, { projectId: project.id }), // the same session, now in coding
    session("codex", "c1", 7, project.id), // coding (sub-stage frontend)
    usage("c1", 7, 400, { projectId: project.id, key: "k7" }),
    // A sidechain copy of the same request: loses against the main-chain copy.
    usage("c1", 7.1, 999, { projectId: project.id, key: "k7", sidechain: true }),
    session("cursor", "p1", 10, project.id), // testing, process-detected: no usage
    session("claude-code", "x1", 3), // no registered project
    usage("x1", 3, 50),
    session("claude-code", "o1", 3, other.id), // another project without transitions
    usage("o1", 3, 70, { projectId: other.id }),
  ]);
  return { storage, project, other };
}

describe("StageTimeline", () => {
  it("gives the stage in effect at any time", () => {
    const { storage, project, other } = setup();
    const tl = new StageTimeline(storage);
    expect(tl.stageAt(project.id, T0)).toBe(UNKNOWN_STAGE);
    expect(tl.stageAt(project.id, T0 + HOUR)).toBe("prd");
    expect(tl.stageAt(project.id, T0 + 5 * HOUR - 1)).toBe("prd");
    expect(tl.stageAt(project.id, T0 + 6.5 * HOUR)).toBe("coding");
    expect(tl.stageAt(project.id, T0 + 100 * HOUR)).toBe("testing");
    expect(tl.stageAt(other.id, T0 + 100 * HOUR)).toBe(UNKNOWN_STAGE);
    expect(tl.stageAt(undefined, T0)).toBe(NO_PROJECT_STAGE);
  });
});

describe("aiStageReport", () => {
  it("counts sessions by the stage they started in and usage by the stage of each request", () => {
    const { storage, project } = setup();
    const r = aiStageReport(storage, { projectId: project.id });
    const by = Object.fromEntries(r.rows.map((row) => [row.stage, row]));
    expect(r.rows.map((row) => row.stage)).toEqual([UNKNOWN_STAGE, "prd", "coding", "testing"]);
    expect(by[UNKNOWN_STAGE]).toMatchObject({ sessions: 1, requests: 1, inputTokens: 1 });
    expect(by.prd).toMatchObject({
      sessions: 1,
      sessionsByTool: { "claude-code": 1 },
      activeSessions: 1,
      requests: 1,
      inputTokens: 100,
    });
    // s1's second request (5.5 h) and c1's main-chain copy (the sidechain copy is dropped).
    expect(by.coding).toMatchObject({
      sessions: 1,
      sessionsByTool: { codex: 1 },
      activeSessions: 2,
      requests: 2,
      inputTokens: 600,
      outputTokens: 20,
      cacheReadTokens: 200,
      totalTokens: 820,
    });
    expect(by.coding!.costUsd).toBeCloseTo(1, 10);
    expect(by.testing).toMatchObject({ sessions: 1, sessionsByTool: { cursor: 1 }, requests: 0 });
    expect(r.totals).toMatchObject({ sessions: 4, requests: 4, inputTokens: 701 });
    expect(r.cost.estimate).toBe(true);
  });

  it("covers every project by default and filters by time", () => {
    const { storage } = setup();
    const all = aiStageReport(storage);
    const by = Object.fromEntries(all.rows.map((row) => [row.stage, row]));
    expect(by[NO_PROJECT_STAGE]).toMatchObject({ sessions: 1, requests: 1, inputTokens: 50 });
    // s0 (before prd) and o1 (a project without transitions) are both unknown.
    expect(by[UNKNOWN_STAGE]).toMatchObject({ sessions: 2, requests: 2, inputTokens: 71 });
    expect(all.totals.sessions).toBe(6);
    const late = aiStageReport(storage, { from: T0 + 6 * HOUR, to: T0 + 12 * HOUR });
    expect(late.rows.map((row) => [row.stage, row.sessions, row.requests])).toEqual([
      ["coding", 1, 1],
      ["testing", 1, 0],
    ]);
    expect(() => aiStageReport(storage, { from: 2, to: 1 })).toThrow(/ends before it starts/);
  });
});
