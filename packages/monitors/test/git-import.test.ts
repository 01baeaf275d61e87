// importGitHistory on a generated 20,000-commit history: every commit and file row once.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { gitImportStateKey, importGitHistory, type MonitorProject } from "../src/index.js";
import {
  commitFile,
  generateHistory,
  git,
  GIT_TEST_ENV,
  openTempStorage,
  tempDir,
} from "./git-helpers.js";
import { sqliteOf } from "@devflow/storage/testing";

function fileRows(storage: ReturnType<typeof openTempStorage>, projectId: string): number {
  const row = sqliteOf(storage)
    .prepare("SELECT COUNT(*) AS n FROM commit_files WHERE project_id = ?")
    .get(projectId) as { n: number };
  return row.n;
}

/** Numstat rows git prints for `revs` (merges print none), for comparison with commit_files. */
function gitFileRows(repo: string, ...revs: string[]): number {
  const out = git(repo, "log", "--numstat", "--no-renames", "--format=", ...revs);
  return out.split("\n").filter((l) => l.includes("\t")).length;
}

describe("importGitHistory", () => {
  it("imports a 20,000-commit history exactly once, then continues incrementally", async () => {
    const t0 = Date.now();
    const repo = generateHistory(20_000);
    const generatedMs = Date.now() - t0;
    const storage = openTempStorage();
    const project: MonitorProject = { id: "big", name: "big", rootPath: repo };
    const total = Number(git(repo, "rev-list", "--count", "--branches", "--tags").trim());
    expect(total).toBe(20_000);
    const files = gitFileRows(repo, "--branches", "--tags");

    const progress: Array<[number, number]> = [];
    const first = await importGitHistory({
      storage,
      project,
      messages: "full",
      onProgress: (done, all) => progress.push([done, all]),
    });
    expect(first).toMatchObject({ commits: total, skipped: 0, files, total });
    expect(storage.commits.count("big")).toBe(total);
    expect(fileRows(storage, "big")).toBe(files);
    expect(progress[0]).toEqual([0, total]);
    expect(progress.at(-1)).toEqual([total, total]);
    expect(progress.length).toBe(1 + Math.ceil(total / 500));
    const merges = sqliteOf(storage)
      .prepare("SELECT COUNT(*) AS n FROM commits WHERE project_id = 'big' AND is_merge = 1")
      .get() as { n: number };
    expect(merges.n).toBe(
      Number(git(repo, "rev-list", "--count", "--merges", "--branches").trim()),
    );
    const sample = sqliteOf(storage)
      .prepare(
        "SELECT conventional_type AS t, message FROM commits WHERE project_id = 'big' AND is_merge = 0 LIMIT 1",
      )
      .get() as { t: string; message: string };
    expect(sample.t).toBe("feat");
    expect(sample.message).toMatch(/^feat\(m\d+\): change \d+\n\nBody of \d+\.$/);

    const again = await importGitHistory({ storage, project });
    expect(again).toMatchObject({ commits: 0, skipped: 0, files: 0, total: 0 });
    expect(storage.commits.count("big")).toBe(total);

    let added = 0;
    for (let i = 0; i < 10; i++)
      added += commitFile(repo, `new-${i}.txt`, `${i}\n`, `fix: new ${i}`) ? 1 : 0;
    const next = await importGitHistory({ storage, project });
    expect(next).toMatchObject({ commits: 10, skipped: 0, files: 10, total: 10 });
    expect(storage.commits.count("big")).toBe(total + added);
    expect(fileRows(storage, "big")).toBe(files + 10);
    expect(storage.settings.get(gitImportStateKey("big"))).toMatchObject({
      tips: expect.arrayContaining([git(repo, "rev-parse", "main").trim()]),
    });
    // Forgetting the tips lists everything again, but stores nothing twice.
    storage.settings.delete(gitImportStateKey("big"));
    const relisted = await importGitHistory({ storage, project });
    expect(relisted).toMatchObject({
      commits: 0,
      skipped: total + 10,
      files: 0,
      total: total + 10,
    });
    console.log(
      `generated in ${generatedMs} ms; import ${first.durationMs} ms (${Math.round((total / first.durationMs) * 1000)} commits/s), ${files} file rows; +10 in ${next.durationMs} ms`,
    );
  }, 90_000);

  it("honours --since, an abort signal, and refuses a directory that is not a repository", async () => {
    const repo = tempDir();
    git(repo, "init", "-q", "-b", "main");
    const old = "2001-01-01T00:00:00Z";
    execFileSync("git", ["commit", "-q", "--allow-empty", "-m", "chore: old"], {
      cwd: repo,
      env: { ...GIT_TEST_ENV, GIT_AUTHOR_DATE: old, GIT_COMMITTER_DATE: old },
    });
    commitFile(repo, "a.txt", "a\n", "feat: new");
    const storage = openTempStorage();
    const project: MonitorProject = { id: "small", name: "small", rootPath: repo };
    const controller = new AbortController();
    controller.abort();
    await expect(
      importGitHistory({ storage, project, signal: controller.signal }),
    ).rejects.toMatchObject({
      code: "MONITORS_ABORTED",
    });
    expect(storage.commits.count("small")).toBe(0);
    const since = await importGitHistory({ storage, project, since: "2010-01-01" });
    expect(since).toMatchObject({ commits: 1, files: 1, total: 1 });
    expect(storage.commits.latest("small")?.message).toBe("feat: new"); // redacted by default
    await expect(
      importGitHistory({
        storage,
        project: { id: "x", name: "x", rootPath: tempDir("devflow-plain-") },
      }),
    ).rejects.toMatchObject({ code: "MONITORS_NOT_A_REPOSITORY" });
  });

  it("stops on abort mid-stream; the next run stores the rest, nothing twice", async () => {
    const repo = generateHistory(3000);
    const storage = openTempStorage();
    const project: MonitorProject = { id: "cut", name: "cut", rootPath: repo };
    const controller = new AbortController();
    await expect(
      importGitHistory({
        storage,
        project,
        signal: controller.signal,
        onProgress: (done) => {
          if (done >= 500) controller.abort();
        },
      }),
    ).rejects.toMatchObject({ code: "MONITORS_ABORTED" });
    const stored = storage.commits.count("cut");
    expect(stored).toBeGreaterThanOrEqual(500);
    expect(stored).toBeLessThan(3000);
    expect(storage.settings.get(gitImportStateKey("cut"))).toBeUndefined();
    const rest = await importGitHistory({ storage, project });
    expect(rest).toMatchObject({ commits: 3000 - stored, skipped: stored, total: 3000 });
    expect(storage.commits.count("cut")).toBe(3000);
    expect(fileRows(storage, "cut")).toBe(gitFileRows(repo, "--branches", "--tags"));
  }, 30_000);
});
