// GitMonitor on real repositories: a scripted history, restarts, message privacy, non-repos.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { DevflowEvent, EventEngine } from "@devflow/events";
import type { Storage } from "@devflow/storage";
import { GitMonitor, gitMonitorStateKey, type MonitorsConfig } from "../src/index.js";
import {
  commitFile,
  git,
  gitEvents,
  makeRepo,
  newEngine,
  onCleanup,
  openTempStorage,
  tempDir,
  waitFor,
} from "./git-helpers.js";
import { sqliteOf } from "@devflow/storage/testing";

const config = (messages: MonitorsConfig["git"]["messages"] = "full"): MonitorsConfig["git"] => ({
  enabled: true,
  pollIntervalMs: 60_000,
  messages,
});

function startMonitor(
  engine: EventEngine,
  storage: Storage,
  rootPath: string,
  projectId = "p1",
  messages: MonitorsConfig["git"]["messages"] = "full",
): GitMonitor {
  const monitor = new GitMonitor(
    { engine, storage, project: { id: projectId, name: projectId, rootPath } },
    config(messages),
    { debounceMs: 40 },
  );
  onCleanup(() => monitor.stop());
  return monitor;
}

const str = (v: unknown): string => (typeof v === "string" ? v : (JSON.stringify(v) ?? "-"));

/** Compact, comparable descriptions of git events, by type. */
const DESCRIBE: Record<string, (d: Record<string, unknown>) => string> = {
  "git.commit": (d) => `commit ${str(d.hash)} ${str(d.branch ?? "-")}`,
  "git.merge": (d) => `merge ${str(d.hash)} into=${str(d.into)} from=${str(d.from)}`,
  "git.branch_created": (d) => `branch_created ${str(d.branch)} ${str(d.hash)}`,
  "git.branch_deleted": (d) => `branch_deleted ${str(d.branch)} ${str(d.hash)}`,
  "git.branch_switched": (d) => `switched ${str(d.from)}->${str(d.to)}`,
  "git.tag": (d) =>
    `tag ${str(d.action)} ${str(d.tag)} ${str(d.hash)} annotated=${str(d.annotated)}`,
  "git.rebase": (d) =>
    `rebase ${str(d.branch)} onto=${str(d.onto)} from=${str(d.from)} to=${str(d.to)} commits=${str(d.commits)}`,
  "git.stash": (d) => `stash ${str(d.action)} count=${str(d.count)}`,
};

function describeEvent(e: DevflowEvent): string {
  const describe = DESCRIBE[e.type];
  return describe ? describe(e.data) : e.type;
}

describe("GitMonitor", () => {
  it("reports a scripted history exactly once per fact while running", async () => {
    const repo = makeRepo();
    const storage = openTempStorage();
    const engine = newEngine(storage);
    const monitor = startMonitor(engine, storage, repo);
    await monitor.start();
    expect(monitor.status().health).toBe("healthy");
    expect(await gitEvents(engine, storage, "p1")).toEqual([]); // first start: refs recorded only

    const expected: string[] = [];
    const seen = async (): Promise<string[]> =>
      (await gitEvents(engine, storage, "p1")).map(describeEvent);
    let got: string[] = [];
    const step = async (action: () => string[]): Promise<void> => {
      expected.push(...action());
      await waitFor(
        async () => {
          got = await seen();
          return expected.every((x) => got.includes(x));
        },
        () => `missing ${JSON.stringify(expected.filter((x) => !got.includes(x)))}`,
      );
    };
    const rev = (ref: string): string => git(repo, "rev-parse", ref).trim();
    let c1 = "";
    await step(() => {
      c1 = commitFile(
        repo,
        "a.txt",
        "a\n",
        "feat(core): add a\n\nBody.\n\nCo-authored-by: Bob <bob@example.com>",
      );
      return [`commit ${c1} main`];
    });
    await step(() => {
      git(repo, "checkout", "-q", "-b", "feature");
      return [`branch_created feature ${c1}`, "switched main->feature"];
    });
    await step(() => {
      const f1 = commitFile(repo, "f.txt", "1\n", "fix(feature): one");
      const f2 = commitFile(repo, "f.txt", "1\n2\n", "fix(feature): two");
      return [`commit ${f1} feature`, `commit ${f2} feature`];
    });
    await step(() => {
      git(repo, "checkout", "-q", "main");
      const m2 = commitFile(repo, "m.txt", "m\n", "docs: m2");
      return ["switched feature->main", `commit ${m2} main`];
    });
    let merge = "";
    await step(() => {
      git(repo, "merge", "-q", "--no-ff", "feature", "-m", "Merge branch 'feature'");
      merge = rev("HEAD");
      return [`commit ${merge} main`, `merge ${merge} into=main from=feature`];
    });
    await step(() => {
      git(repo, "tag", "v1");
      git(repo, "tag", "-a", "v2", "-m", "release 2");
      return [`tag created v1 ${merge} annotated=false`, `tag created v2 ${merge} annotated=true`];
    });
    let t2 = "";
    await step(() => {
      git(repo, "checkout", "-q", "-b", "topic");
      const t1 = commitFile(repo, "t.txt", "t1\n", "feat: t1");
      t2 = commitFile(repo, "t2.txt", "t2\n", "feat: t2");
      return [
        `branch_created topic ${merge}`,
        "switched main->topic",
        `commit ${t1} topic`,
        `commit ${t2} topic`,
      ];
    });
    let m3 = "";
    await step(() => {
      git(repo, "checkout", "-q", "main");
      m3 = commitFile(repo, "m.txt", "m\nm3\n", "chore: m3");
      return ["switched topic->main", `commit ${m3} main`];
    });
    let rebased = "";
    await step(() => {
      git(repo, "checkout", "-q", "topic");
      git(repo, "rebase", "-q", "main");
      rebased = rev("topic");
      const t1b = rev("topic~1");
      expect(rev("topic~2")).toBe(m3);
      return [
        "switched main->topic",
        `commit ${t1b} topic`,
        `commit ${rebased} topic`,
        `rebase topic onto=${m3} from=${t2} to=${rebased} commits=2`,
      ];
    });
    await step(() => {
      writeFileSync(join(repo, "a.txt"), "a\nchanged\n");
      git(repo, "stash", "push", "-q");
      return ["stash push count=1"];
    });
    await step(() => {
      git(repo, "stash", "pop", "-q"); // the popped change stays in the tree: a pop, not a drop
      return ["stash pop count=0"];
    });
    await step(() => {
      git(repo, "checkout", "-q", "--", "a.txt");
      git(repo, "checkout", "-q", "main");
      git(repo, "branch", "-q", "-D", "topic");
      git(repo, "tag", "-d", "v1");
      return [
        "switched topic->main",
        `branch_deleted topic ${rebased}`,
        `tag deleted v1 ${merge} annotated=false`,
      ];
    });

    await monitor.scanNow();
    const events = await gitEvents(engine, storage, "p1");
    expect(events.map(describeEvent).sort()).toEqual([...expected].sort());
    expect(storage.commits.count("p1")).toBe(10);
    const first = events.find((e) => e.type === "git.commit" && e.data.hash === c1);
    expect(first?.data).toMatchObject({
      branch: "main",
      author: { name: "Ada Lovelace", email: "ada@example.com" },
      message: "feat(core): add a\n\nBody.\n\nCo-authored-by: Bob <bob@example.com>",
      conventionalType: "feat",
      conventionalScope: "core",
      breaking: false,
      trailers: { "Co-authored-by": ["Bob <bob@example.com>"] },
      isMerge: false,
      filesChanged: 1,
      insertions: 1,
      deletions: 0,
    });
    expect(events.every((e) => e.source === "git" && e.projectId === "p1")).toBe(true);
    expect(monitor.status()).toMatchObject({ health: "healthy" });
    expect(monitor.status().counters.commits).toBe(10);
  }, 60_000);

  it("emits no commit twice across restarts and catches up on commits made while stopped", async () => {
    const repo = makeRepo();
    const storage = openTempStorage();
    const engine = newEngine(storage);
    const commitEvents = async (): Promise<string[]> =>
      (await gitEvents(engine, storage, "p1"))
        .filter((e) => e.type === "git.commit")
        .map((e) => String(e.data.hash));

    const a = startMonitor(engine, storage, repo);
    await a.start();
    const c1 = commitFile(repo, "x.txt", "1\n", "feat: one");
    await waitFor(
      async () => (await commitEvents()).length === 1,
      () => "c1",
    );
    await a.stop();
    expect(storage.settings.get(gitMonitorStateKey("p1"))).toMatchObject({
      version: 1,
      head: "main",
    });

    const c2 = commitFile(repo, "x.txt", "1\n2\n", "feat: two");
    git(repo, "checkout", "-q", "-b", "side");
    const c3 = commitFile(repo, "y.txt", "3\n", "feat: three");
    const b = startMonitor(engine, storage, repo);
    await b.start(); // catches up during start
    expect((await commitEvents()).sort()).toEqual([c1, c2, c3].sort());
    const kinds = (await gitEvents(engine, storage, "p1")).map(describeEvent);
    expect(kinds).toContain(`branch_created side ${c2}`);
    expect(kinds.filter((k) => k.startsWith("switched"))).toEqual(["switched main->side"]);
    await b.stop();

    const c = startMonitor(engine, storage, repo);
    await c.start();
    await c.scanNow();
    await c.stop();
    expect((await commitEvents()).sort()).toEqual([c1, c2, c3].sort());
    expect(storage.commits.count("p1")).toBe(3);
  }, 30_000);

  it("stores messages as configured: none, redacted or full", async () => {
    const repo = makeRepo();
    const storage = openTempStorage();
    const engine = newEngine(storage);
    const policies = ["none", "redacted", "full"] as const;
    const monitors = policies.map((p) => startMonitor(engine, storage, repo, p, p));
    for (const m of monitors) await m.start();
    const token = "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A";
    const subject = `fix: rotate ${token} for alice@example.com`;
    const hash = commitFile(
      repo,
      "s.txt",
      "s\n",
      `${subject}\n\nSigned-off-by: Ada <ada@example.com>`,
    );
    for (const m of monitors) await m.scanNow();
    const message = (p: string): unknown =>
      sqliteOf(storage)
        .prepare("SELECT message FROM commits WHERE project_id = ? AND hash = ?")
        .get(p, hash);
    const eventOf = async (p: string): Promise<Record<string, unknown>> => {
      const events = (await gitEvents(engine, storage, p)).filter((e) => e.type === "git.commit");
      expect(events).toHaveLength(1);
      return events[0]!.data;
    };
    expect(message("none")).toEqual({ message: null });
    expect(await eventOf("none")).not.toHaveProperty("message");
    expect((await eventOf("none")).trailers).toEqual({ "Signed-off-by": ["Ada <[email]>"] });
    const redacted = "fix: rotate [secret] for [email]\n\nSigned-off-by: Ada <[email]>";
    expect(message("redacted")).toEqual({ message: redacted });
    expect((await eventOf("redacted")).message).toBe(redacted);
    const full = `${subject}\n\nSigned-off-by: Ada <ada@example.com>`;
    expect(message("full")).toEqual({ message: full });
    expect(await eventOf("full")).toMatchObject({
      message: full,
      conventionalType: "fix",
      trailers: { "Signed-off-by": ["Ada <ada@example.com>"] },
    });
  }, 30_000);

  it("is degraded, not crashed, on a directory that is not a git repository", async () => {
    const storage = openTempStorage();
    const engine = newEngine(storage);
    for (const root of [tempDir("devflow-plain-"), join(tempDir(), "missing")]) {
      const monitor = startMonitor(engine, storage, root);
      await monitor.start();
      expect(monitor.status()).toMatchObject({ health: "degraded" });
      expect(monitor.status().message).toMatch(/is not a git repository/);
      expect(monitor.status().fix).toMatch(/git init/);
      await monitor.stop();
    }
    expect(() => new GitMonitor({ engine, storage }, config())).toThrow(/needs a project/);
  });
});
