/**
 * Bursts of 10,000 writes from a separate process, as fast as it can go: modifying existing
 * files, creating files in one directory, and creating 100 new directories × 100 files (where
 * chokidar alone loses up to 2 %). After quiescence and reconciliation the stored events must
 * equal the ground truth exactly: one event per file, nothing lost, nothing duplicated.
 */
import { describe, expect, it } from "vitest";
import {
  runNode,
  startMonitor,
  type StoredFileEvent,
  tempDir,
  writeTree,
} from "./file-monitor-fixtures.js";

const DIRS = 100;
const PER_DIR = 100;

/** Writes `${root}/${prefix}d${i}/f${j}.txt` for i < dirs, j < perDir; mkdir each dir first. */
const writer = `
const { mkdirSync, writeFileSync } = require("node:fs");
const [root, prefix, dirs, perDir, mode] = process.argv.slice(1);
const started = Date.now();
for (let i = 0; i < Number(dirs); i++) {
  const dir = root + "/" + prefix + (Number(dirs) > 1 ? "d" + i + "/" : "");
  if (mode === "mkdir") mkdirSync(dir, { recursive: true });
  for (let j = 0; j < Number(perDir); j++) {
    writeFileSync(dir + "f" + j + ".txt", "burst " + mode + "\\n".repeat(1 + (j % 3)));
  }
}
process.stdout.write(String(Date.now() - started));
`;

function paths(prefix: string, dirs: number, perDir: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < dirs; i++) {
    for (let j = 0; j < perDir; j++) out.push(`${prefix}${dirs > 1 ? `d${i}/` : ""}f${j}.txt`);
  }
  return out;
}

/** Asserts that `stored` holds exactly one event of `type` per expected path and nothing else. */
function expectExactlyOnce(stored: StoredFileEvent[], type: string, expected: string[]) {
  const counts = new Map<string, number>();
  for (const event of stored) {
    const key = `${event.type} ${event.data.path}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const lost = expected.filter((p) => !counts.has(`${type} ${p}`));
  const duplicated = [...counts].filter(([, n]) => n > 1).map(([k]) => k);
  const wanted = new Set(expected.map((p) => `${type} ${p}`));
  const unexpected = [...counts.keys()].filter((k) => !wanted.has(k));
  expect({ lost, duplicated, unexpected: unexpected.slice(0, 10), total: stored.length }).toEqual({
    lost: [],
    duplicated: [],
    unexpected: [],
    total: expected.length,
  });
}

async function burst(
  name: string,
  setup: (root: string) => void,
  args: string[],
  type: string,
  expected: string[],
) {
  const root = tempDir();
  setup(root);
  const h = await startMonitor(root, { config: { debounceMs: 100, reconcileDelayMs: 500 } });
  const started = Date.now();
  const writeMs = await runNode(writer, [root, ...args]);
  await h.settle(500);
  const counters = h.monitor.status().counters;
  console.log(
    `[burst ${name}] writer ${writeMs} ms, settled ${Date.now() - started} ms; ` +
      `reconciled ${counters.reconciled}, bursts ${counters.bursts}, rescans ${counters.rescans}, errors ${counters.errors}`,
  );
  expectExactlyOnce(h.stored(), type, expected);
  expect(counters.errors).toBe(0);
  return counters;
}

describe("FileMonitor bursts of 10,000 writes from another process", () => {
  it(
    "modify: 10,000 existing files → exactly one file.changed each",
    { timeout: 90_000 },
    async () => {
      const expected = paths("m/", DIRS, PER_DIR);
      await burst(
        "modify",
        (root) => writeTree(root, Object.fromEntries(expected.map((p) => [p, "before\n"]))),
        ["m/", String(DIRS), String(PER_DIR), "modify"],
        "file.changed",
        expected,
      );
    },
  );

  it(
    "create-flat: 10,000 new files in one directory → exactly one file.created each",
    { timeout: 90_000 },
    async () => {
      const expected = paths("flat/", 1, DIRS * PER_DIR);
      await burst(
        "create-flat",
        (root) => writeTree(root, { "flat/.keep": "" }),
        ["flat/", "1", String(DIRS * PER_DIR), "create"],
        "file.created",
        [...expected],
      );
    },
  );

  it(
    "create-dirs: 100 new directories × 100 files → exactly one file.created each",
    { timeout: 90_000 },
    async () => {
      const expected = paths("nd/", DIRS, PER_DIR);
      await burst(
        "create-dirs",
        (root) => writeTree(root, { "README.md": "x\n" }),
        ["nd/", String(DIRS), String(PER_DIR), "mkdir"],
        "file.created",
        expected,
      );
    },
  );
});
