// Shared helpers of the git-*.test.ts files: real repositories in temp dirs, storage, engine.
// The generic parts (temp dirs, git, repositories, storage) come from @devflow/test-utils.
import { type DevflowEvent, EventEngine } from "@devflow/events";
import type { Storage } from "@devflow/storage";
import {
  commitFile,
  GIT_TEST_ENV,
  makeRepo,
  onCleanup,
  openTempStorage,
  runGit,
  tempDir,
} from "@devflow/test-utils";

export { commitFile, GIT_TEST_ENV, makeRepo, onCleanup, openTempStorage, tempDir };

/** Runs git in `cwd` and returns its standard output. */
export function git(cwd: string, ...args: string[]): string {
  return runGit(cwd, args);
}

/** An engine writing to `storage` in small, quick batches; stopped after the test. */
export function newEngine(storage: Storage): EventEngine {
  const engine = new EventEngine({ batchSize: 50, maxWaitMs: 20 });
  engine.addSink(storage.sink);
  onCleanup(() => engine.stop());
  return engine;
}

/** Polls `check` every 25 ms until it returns true; fails with `describe()` after `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  describe: () => string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The stored git events of a project (after flushing the engine). */
export async function gitEvents(
  engine: EventEngine,
  storage: Storage,
  projectId: string,
): Promise<DevflowEvent[]> {
  await engine.flush();
  return storage.events
    .query({ projectId, limit: 100_000 })
    .filter((e) => e.type.startsWith("git."));
}

/**
 * Writes a fast-import stream of `commits` commits on `main` (each touching 1–3 of `files`
 * files), plus a `side` branch merged back every 1000 commits and a tag every 2500, and
 * imports it into a new repository. Returns the repository path.
 */
export function generateHistory(commits: number, files = 2000): string {
  const dir = tempDir("devflow-hist-");
  git(dir, "init", "-q", "-b", "main");
  const parts: string[] = [];
  const versions = new Array<number>(files).fill(0);
  let mark = 0;
  let mainHead = 0;
  let seed = 42;
  const rand = (n: number): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  const data = (text: string): string => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const commit = (ref: string, from: number, merge: number, i: number): number => {
    mark++;
    const when = 1_700_000_000 + i * 60;
    parts.push(
      `commit ${ref}\nmark :${mark}\nauthor Dev ${i % 7} <dev${i % 7}@example.com> ${when} +0000\n`,
      `committer Dev ${i % 7} <dev${i % 7}@example.com> ${when} +0000\n`,
      data(merge ? `Merge branch 'side'` : `feat(m${i % 13}): change ${i}\n\nBody of ${i}.`),
    );
    if (from) parts.push(`from :${from}\n`);
    if (merge) parts.push(`merge :${merge}\n`);
    const touched = merge ? 0 : 1 + rand(3);
    for (let k = 0; k < touched; k++) {
      const f = rand(files);
      versions[f]!++;
      const lines = Array.from(
        { length: 1 + (versions[f]! % 5) },
        (_, j) => `v${versions[f]} ${j}`,
      );
      parts.push(`M 100644 inline src/dir${f % 40}/file-${f}.txt\n`, data(`${lines.join("\n")}\n`));
    }
    parts.push("\n");
    return mark;
  };
  let i = 0;
  while (i < commits) {
    if (i > 0 && i % 1000 === 0 && i + 3 <= commits) {
      let side = commit("refs/heads/side", mainHead, 0, i++);
      side = commit("refs/heads/side", side, 0, i++);
      mainHead = commit("refs/heads/main", mainHead, side, i++);
      continue;
    }
    mainHead = commit("refs/heads/main", mainHead, 0, i++);
    if (i % 2500 === 0) parts.push(`reset refs/tags/t${i}\nfrom :${mainHead}\n\n`);
  }
  runGit(dir, ["fast-import", "--quiet"], { input: parts.join("") });
  git(dir, "reset", "-q", "--hard", "main");
  return dir;
}
