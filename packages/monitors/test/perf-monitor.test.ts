import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DevflowEvent, EventEngine, isDevflowError } from "@devflow/events";
import { openStorage, type Storage } from "@devflow/storage";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PerfMonitor } from "../src/perf-monitor.js";

const POLL_MS = 200;

/** A stand-in test runner: prints, optionally writes a JUnit report, sleeps, exits. */
const FAKE_RUNNER = `#!/usr/bin/env node
const fs = require("node:fs");
process.stdout.write("hello from fake vitest\\n");
process.stderr.write("a warning\\n");
if (process.env.FAKE_JUNIT) fs.writeFileSync(process.env.FAKE_JUNIT, process.env.FAKE_JUNIT_XML);
setTimeout(() => process.exit(Number(process.env.FAKE_EXIT ?? 0)), Number(process.env.FAKE_MS ?? 1500));
`;

function fakeRunner(dir: string): string {
  const bin = join(dir, "node_modules", ".bin");
  mkdirSync(bin, { recursive: true });
  const path = join(bin, "vitest");
  writeFileSync(path, FAKE_RUNNER);
  chmodSync(path, 0o755);
  return path;
}

/** Spawns `path run` in `cwd`; resolves with the spawn and exit times. */
function runDetached(path: string, cwd: string, env: NodeJS.ProcessEnv = {}) {
  const startedAt = Date.now();
  const child = spawn(path, ["run"], { cwd, env: { ...process.env, ...env }, stdio: "ignore" });
  return new Promise<{ startedAt: number; exitedAt: number; code: number | null }>((done) =>
    child.once("exit", (code) => done({ startedAt, exitedAt: Date.now(), code })),
  );
}

async function waitFor<T>(fn: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = fn();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 25));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let tmp: string;
let root: string;
let storage: Storage;
let engine: EventEngine;
let seen: DevflowEvent[];
let monitor: PerfMonitor;

const ofType = (type: string) => seen.filter((e) => e.type === type);

beforeEach(() => {
  tmp = realpathSync(mkdtempSync(join(tmpdir(), "devflow-perf-")));
  root = join(tmp, "project");
  mkdirSync(root);
  storage = openStorage({ path: join(tmp, "devflow.db") });
  engine = new EventEngine({ maxWaitMs: 50 });
  engine.addSink(storage.sink);
  seen = [];
  engine.subscribe("*", (e) => void seen.push(e));
});

afterEach(async () => {
  await monitor?.stop();
  await engine.stop();
  storage.close();
  rmSync(tmp, { recursive: true, force: true });
});

function newMonitor(options: ConstructorParameters<typeof PerfMonitor>[2] = {}): PerfMonitor {
  monitor = new PerfMonitor(
    { engine, storage, project: { id: "p1", name: "demo", rootPath: root } },
    { enabled: true, pollIntervalMs: POLL_MS },
    { reportSettleMs: 100, ...options },
  );
  return monitor;
}

describe("PerfMonitor: process table", () => {
  it("records one run of a test runner inside the project, and ignores one outside", async () => {
    const inside = fakeRunner(root);
    const elsewhere = join(tmp, "elsewhere");
    mkdirSync(elsewhere);
    const outside = fakeRunner(elsewhere);
    await newMonitor({ reportWaitMs: 500 }).start();

    const [run] = await Promise.all([runDetached(inside, root), runDetached(outside, elsewhere)]);
    const finished = await waitFor(() => ofType("build.finished")[0]);
    await sleep(3 * POLL_MS); // nothing more may come
    await engine.flush();

    const started = ofType("build.started");
    expect(started).toHaveLength(1);
    expect(ofType("build.finished")).toHaveLength(1);
    const runId = (started[0]!.data as { runId: string }).runId;
    expect(started[0]!).toMatchObject({
      source: "perf",
      projectId: "p1",
      correlationId: runId,
      data: { runId, tool: "vitest", kind: "test", command: "node ./node_modules/.bin/vitest run" },
    });
    // Start from /proc (±10 ms) after the spawn call; the end is known within half a poll.
    expect(Math.abs(started[0]!.timestamp - run.startedAt)).toBeLessThan(150);
    const actual = run.exitedAt - run.startedAt;
    const data = finished.data as { durationMs: number };
    expect(Math.abs(data.durationMs - actual)).toBeLessThan(POLL_MS / 2 + 150);
    expect(finished).toMatchObject({
      timestamp: started[0]!.timestamp + data.durationMs,
      duration: data.durationMs,
      data: { runId, tool: "vitest", kind: "test", exitCode: null, success: null },
    });
    // Stored as well.
    const stored = storage.events.query({ types: ["build.started", "build.finished"] });
    expect(stored.map((e) => [e.type, (e.data as { runId: string }).runId])).toEqual([
      ["build.started", runId],
      ["build.finished", runId],
    ]);
    expect(monitor.status().counters.runs).toBe(1);
  });

  it("takes success from the JUnit report the run writes", async () => {
    const runner = fakeRunner(root);
    await newMonitor({ reportWaitMs: 3000 }).start();
    const xml = '<testsuites name="vitest tests" tests="3" failures="1" errors="0" time="0.2"/>';
    await runDetached(runner, root, {
      FAKE_JUNIT: join(root, "junit.xml"),
      FAKE_JUNIT_XML: xml,
      FAKE_MS: "800",
    });
    const finished = await waitFor(() => ofType("build.finished")[0]);
    const report = await waitFor(() => ofType("test.run_finished")[0]);
    const runId = (finished.data as { runId: string }).runId;
    expect(finished.data).toMatchObject({ tool: "vitest", exitCode: null, success: false });
    expect(report.data).toEqual({
      runId,
      tool: "vitest",
      origin: "junit",
      report: "junit.xml",
      passed: 2,
      failed: 1,
      skipped: 0,
      durationMs: 200,
    });
  });
});

describe("PerfMonitor.run", () => {
  it("records the real exit code, streams output, and is not detected twice", async () => {
    const runner = fakeRunner(root);
    await newMonitor().start();
    const output: string[] = [];
    const env = { ...process.env, FAKE_MS: String(3 * POLL_MS) };
    const ok = await monitor.run(runner, ["run"], {
      env,
      onOutput: (stream, chunk) => output.push(`${stream}:${chunk.toString()}`),
    });
    const failed = await monitor.run(runner, ["run"], {
      env: { ...env, FAKE_EXIT: "3" },
      onOutput: () => {},
    });
    expect(ok).toMatchObject({
      tool: "vitest",
      kind: "test",
      exitCode: 0,
      signal: null,
      success: true,
    });
    expect(failed).toMatchObject({ exitCode: 3, success: false });
    expect(ok.durationMs).toBeGreaterThanOrEqual(3 * POLL_MS);
    expect(output.sort()).toEqual(["stderr:a warning\n", "stdout:hello from fake vitest\n"]);
    await sleep(2 * POLL_MS);
    await engine.flush();

    const finished = storage.events.query({ types: ["build.finished"] });
    expect(finished.map((e) => e.data)).toEqual([
      {
        runId: ok.runId,
        tool: "vitest",
        kind: "test",
        command: "./node_modules/.bin/vitest run",
        exitCode: 0,
        success: true,
        durationMs: ok.durationMs,
      },
      {
        runId: failed.runId,
        tool: "vitest",
        kind: "test",
        command: "./node_modules/.bin/vitest run",
        exitCode: 3,
        success: false,
        durationMs: failed.durationMs,
      },
    ]);
    expect(storage.events.count({ types: ["build.started"] })).toBe(2);
  });

  it("reports a killed child as failed with no exit code, and a missing command as an error", async () => {
    const runner = fakeRunner(root);
    const aborter = new AbortController();
    setTimeout(() => aborter.abort(), 300);
    const killed = await newMonitor({ watchReports: false }).run(runner, ["run"], {
      signal: aborter.signal,
      onOutput: () => {},
    });
    expect(killed).toMatchObject({ exitCode: null, signal: "SIGTERM", success: false });

    const err = await monitor.run(join(root, "no-such-tool"), []).catch((e: unknown) => e);
    expect(isDevflowError(err) && err.code).toBe("MONITORS_RUN_FAILED");
    await engine.flush();
    expect(storage.events.count({ types: ["build.started"] })).toBe(1);
    expect(storage.events.count({ types: ["build.finished"] })).toBe(1);
  });
});

describe("PerfMonitor: reports", () => {
  it("emits test.run_finished for JUnit, lcov and istanbul reports written in the project", async () => {
    await newMonitor().start();
    const write = (rel: string, text: string) => {
      mkdirSync(join(root, rel, ".."), { recursive: true });
      writeFileSync(join(root, rel), text);
    };
    // Not report locations: ignored.
    write("node_modules/pkg/junit.xml", '<testsuites tests="1"/>');
    write("src/layout.xml", "<layout/>");
    write(
      "test-results/unit/results.xml",
      '<testsuites name="jest tests" tests="10" failures="2" errors="1" skipped="3" time="4.5"/>',
    );
    write("coverage/lcov.info", "SF:a.ts\nLF:8\nLH:6\nBRF:2\nBRH:1\nFNF:4\nFNH:4\nend_of_record\n");
    const pct = (p: number) => ({ total: 10, covered: 1, skipped: 0, pct: p });
    write(
      "coverage/coverage-summary.json",
      JSON.stringify({
        total: { lines: pct(91.5), statements: pct(90.25), functions: pct(80), branches: pct(70) },
      }),
    );
    await waitFor(() => ofType("test.run_finished").length === 3);
    await sleep(400);
    const byReport = Object.fromEntries(
      ofType("test.run_finished").map((e) => [(e.data as { report: string }).report, e.data]),
    );
    expect(byReport).toEqual({
      "test-results/unit/results.xml": {
        tool: "jest",
        origin: "junit",
        report: "test-results/unit/results.xml",
        passed: 4,
        failed: 3,
        skipped: 3,
        durationMs: 4500,
      },
      "coverage/lcov.info": {
        tool: "lcov",
        origin: "coverage",
        report: "coverage/lcov.info",
        coverage: { lines: 75, branches: 50, functions: 100 },
      },
      "coverage/coverage-summary.json": {
        tool: "istanbul",
        origin: "coverage",
        report: "coverage/coverage-summary.json",
        coverage: { lines: 91.5, statements: 90.25, functions: 80, branches: 70 },
      },
    });
    // Rewriting identical content is not a new report.
    write("coverage/lcov.info", "SF:a.ts\nLF:8\nLH:6\nBRF:2\nBRH:1\nFNF:4\nFNH:4\nend_of_record\n");
    await sleep(500);
    expect(ofType("test.run_finished")).toHaveLength(3);
    await engine.flush();
    expect(storage.events.count({ types: ["test.run_finished"] })).toBe(3);
  });

  it("survives a malformed report: degraded with the reason, counted, then recovers", async () => {
    await newMonitor().start();
    writeFileSync(join(root, "junit-broken.xml"), "<testsuites><testsuite>");
    const status = await waitFor(() => {
      const s = monitor.status();
      return s.health === "degraded" ? s : undefined;
    });
    expect(status.message).toMatch(
      /^bad JUnit XML report junit-broken\.xml: not well-formed XML at line 1, column \d+: /,
    );
    expect(status.fix).toBe("fix or remove junit-broken.xml; it is read again when it changes");
    expect(status.counters.badReports).toBe(1);
    expect(ofType("test.run_finished")).toHaveLength(0);

    writeFileSync(join(root, "junit-broken.xml"), '<testsuite name="s" tests="2" failures="0"/>');
    const event = await waitFor(() => ofType("test.run_finished")[0]);
    expect(event.data).toMatchObject({ report: "junit-broken.xml", passed: 2, failed: 0 });
    expect(monitor.status()).toMatchObject({ health: "healthy", message: null });
  });

  it("needs a project", async () => {
    const m = new PerfMonitor({ engine, storage }, { enabled: true, pollIntervalMs: POLL_MS });
    const err = await m.start().catch((e: unknown) => e);
    expect(isDevflowError(err) && err.code).toBe("MONITORS_NO_PROJECT");
    expect(m.status().health).toBe("error");
  });
});
