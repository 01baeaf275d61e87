// collaborationReport (@devflow/analyzers) reading the repository through gitLineReader
// (@devflow/monitors), as the composed DevFlow does, on the scripted repository of the monitors'
// attribution bench script: commit share, line share and survival (7/30 days, AI against human
// lines in the same files) from hand-written attribution events, and sessions per stage. Here,
// above both packages, because the analysis takes the git reads the monitors implement.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { validateEvent } from "@devflow/events";
import { openStorage } from "@devflow/storage";
import { collaborationReport } from "@devflow/analyzers";
import { gitLineReader } from "@devflow/monitors";
import { sqliteOf } from "@devflow/storage/testing";

const script = fileURLToPath(new URL("../../monitors/bench/ai-scripted-repo.mjs", import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("collaborationReport", () => {
  it("computes commit share, line share and survival equal to the hand-computed values", async () => {
    const dir = mkdtempSync(join(tmpdir(), "devflow-ai-collab-"));
    dirs.push(dir);
    const s = JSON.parse(execFileSync(process.execPath, [script, dir], { encoding: "utf8" })) as {
      repo: string;
      commits: Record<string, string>;
    };
    const storage = openStorage({ path: join(dir, "devflow.db") });
    try {
      const project = storage.projects.add({ name: "repo", rootPath: s.repo });
      const attributed = (hash: string, ts: string, data: object) =>
        validateEvent({
          type: "ai.commit_attributed",
          source: "test",
          projectId: project.id,
          timestamp: Date.parse(ts),
          metadata: { attributedAt: 1 },
          data: { hash, ...data },
        });
      const session = (id: string, ts: string) =>
        validateEvent({
          type: "ai.session_started",
          source: "test",
          projectId: project.id,
          timestamp: Date.parse(ts),
          data: { tool: "claude-code", sessionId: id },
        });
      storage.events.insertBatch([
        attributed(s.commits.c1!, "2026-01-02T10:30:00Z", {
          tool: "claude-code",
          method: "trailer",
          confidence: "high",
          tools: ["claude-code"],
          linesAdded: 10,
          aiLinesAdded: 7,
          aiLines: { "src/a.ts": [[4, 7]], "src/b.ts": [[1, 3]] },
        }),
        attributed(s.commits.c3!, "2026-01-10T09:20:00Z", {
          tool: "claude-code",
          method: "fingerprint",
          confidence: "high",
          tools: ["claude-code"],
          linesAdded: 5,
          aiLinesAdded: 5,
          aiLines: { "src/c.ts": [[1, 5]] },
        }),
        attributed(s.commits.c5!, "2026-01-13T08:00:00Z", {
          tool: "codex",
          method: "branch",
          confidence: "medium",
          tools: ["codex"],
          linesAdded: 1,
          aiLinesAdded: 0,
        }),
        session("s1", "2026-01-02T10:00:00Z"),
        session("s2", "2026-01-10T09:00:00Z"),
      ]);
      sqliteOf(storage)
        .prepare(
          "INSERT INTO stage_transitions (id, project_id, from_stage, to_stage, confidence, timestamp) VALUES ('t1', ?, NULL, 'coding', 0.9, ?)",
        )
        .run(project.id, Date.parse("2026-0105T00:00:00Z".replace("01", "01-")));
      const git = gitLineReader(s.repo);
      const r = await collaborationReport({
        storage,
        project,
        git,
        asOf: Date.parse("2026-06-01T00:00:00Z"),
      });
      // 6 non-merge commits (main + codex/experiment); c1, c3 high and c5 medium.
      expect(r.commits).toEqual({
        total: 6,
        aiAssisted: 3,
        share: 0.5,
        byConfidence: { high: 2, medium: 1, low: 0 },
        byTool: { "claude-code": 2, codex: 1 },
      });
      // 3 + 10 + 2 + 5 + 0 + 1 added lines; 7 + 5 of them AI.
      expect(r.lines).toEqual({ added: 21, aiAdded: 12, share: 12 / 21 });
      // AI: c1's 7 lines (2 reworked by c2) and c3's 5 lines (reverted by c4).
      // Human lines in the same files: base 3, c1 3, c2 2 — all still there.
      const expected = {
        ai: {
          measured: 12,
          survived: 5,
          reworked: 2,
          reverted: 5,
          pending: 0,
          survivalRate: 5 / 12,
        },
        human: { measured: 8, survived: 8, reworked: 0, reverted: 0, pending: 0, survivalRate: 1 },
      };
      expect(r.survival).toEqual([
        { horizonDays: 7, ...expected },
        { horizonDays: 30, ...expected },
      ]);
      expect(r.sessionsByStage).toEqual({ unknown: 1, coding: 1 });
      // Measured on 2026-01-08, c1's 30-day horizon has not passed yet.
      const early = await collaborationReport({
        storage,
        project,
        git,
        asOf: Date.parse("2026-01-08T00:00:00Z"),
        to: Date.parse("2026-01-03T00:00:00Z"),
      });
      expect(early.survival[1]?.ai).toMatchObject({ measured: 0, pending: 7 });
      expect(early.survival[0]?.human).toMatchObject({ measured: 3, survived: 3, pending: 3 });
    } finally {
      storage.close();
    }
  });
});
