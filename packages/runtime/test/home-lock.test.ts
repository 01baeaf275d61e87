/**
 * The home lock under real contention: N processes try to take it at the same moment and
 * exactly one wins; a lock left by a SIGKILLed owner is taken over (by exactly one of N again);
 * a released lock is free; the lock file is 0600 in a 0700 directory.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { HomeLock, readLockOwner } from "../src/index.js";

const child = fileURLToPath(new URL("./fixtures/lock-child.mjs", import.meta.url));
const N = 8;
const dirs: string[] = [];
const procs: ChildProcessWithoutNullStreams[] = [];

afterEach(() => {
  for (const p of procs.splice(0)) p.kill("SIGKILL");
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempHome(): string {
  const dir = mkdtempSync(join(tmpdir(), "devflow-lock-"));
  dirs.push(dir);
  return dir;
}

interface Contender {
  proc: ChildProcessWithoutNullStreams;
  /** Resolves once it is loaded and waiting for "go". */
  ready: Promise<void>;
  /** `WON` or `LOST <code>`. */
  result: Promise<string>;
}

function contender(home: string): Contender {
  const proc = spawn(process.execPath, [child, home], { stdio: ["pipe", "pipe", "pipe"] });
  procs.push(proc);
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  let out = "";
  proc.stdout.on("data", (d: Buffer) => {
    out += d.toString();
    let nl: number;
    while ((nl = out.indexOf("\n")) >= 0) {
      lines.push(out.slice(0, nl));
      out = out.slice(nl + 1);
    }
    for (const w of waiters.splice(0)) w();
  });
  const line = (n: number) =>
    new Promise<string>((resolve, reject) => {
      const check = () => (lines.length > n ? resolve(lines[n]!) : waiters.push(check));
      check();
      proc.once("exit", (code) => reject(new Error(`contender exited early (${code})`)));
    });
  return { proc, ready: line(0).then(() => undefined), result: line(1) };
}

/** Starts N contenders, lets them load, then releases them at once. */
async function race(home: string) {
  const all = Array.from({ length: N }, () => contender(home));
  await Promise.all(all.map((c) => c.ready)); // module loading is not part of the race
  for (const c of all) c.proc.stdin.write("go\n");
  const results = await Promise.all(all.map((c) => c.result));
  return all.map((c, i) => ({ proc: c.proc, result: results[i]! }));
}

describe("HomeLock", () => {
  it("lets exactly one of N simultaneous processes win, then takes over a SIGKILLed owner", async () => {
    const home = tempHome();
    const first = await race(home);
    const winners = first.filter((c) => c.result === "WON");
    expect(winners).toHaveLength(1);
    for (const c of first.filter((x) => x.result !== "WON"))
      expect(c.result).toBe("LOST RUNTIME_ALREADY_RUNNING");
    const winner = winners[0]!.proc;
    expect(readLockOwner(home)?.pid).toBe(winner.pid);

    const mode = (p: string) => statSync(p).mode & 0o777;
    expect(mode(join(home, "run"))).toBe(0o700);
    const files = readdirSync(join(home, "run")).filter((f) => f.startsWith("owner."));
    expect(files).toHaveLength(1);
    expect(mode(join(home, "run", files[0]!))).toBe(0o600);

    // The owner dies without releasing; its lock file stays behind.
    for (const c of first) c.proc.kill("SIGKILL");
    await new Promise<void>((r) =>
      winner.exitCode !== null ? r() : winner.once("exit", () => r()),
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(join(home, "run")).some((f) => f.startsWith("owner."))).toBe(true);
    expect(readLockOwner(home)).toBeNull();

    const second = await race(home);
    const next = second.filter((c) => c.result === "WON");
    expect(next).toHaveLength(1);
    expect(readLockOwner(home)?.pid).toBe(next[0]!.proc.pid);
  }, 30_000);

  it("is free again after release, and refuses while another process holds it", async () => {
    const home = tempHome();
    const a = new HomeLock(home);
    a.acquire({ startedAt: 1, database: "db" });
    expect(readLockOwner(home)).toMatchObject({ pid: process.pid, startedAt: 1, database: "db" });
    a.release();
    expect(readLockOwner(home)).toBeNull();

    const other = contender(home);
    other.proc.stdin.write("go\n");
    expect(await other.result).toBe("WON");
    const b = new HomeLock(home);
    expect(() => b.acquire({ startedAt: 2, database: "db" })).toThrow(
      expect.objectContaining({ code: "RUNTIME_ALREADY_RUNNING" }),
    );
    other.proc.stdin.end();
    await new Promise<void>((r) => other.proc.once("exit", () => r()));
    b.acquire({ startedAt: 3, database: "db" });
    expect(readLockOwner(home)?.pid).toBe(process.pid);
    b.release();
  }, 30_000);
});
