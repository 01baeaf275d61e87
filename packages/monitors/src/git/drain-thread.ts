import { Worker } from "node:worker_threads";
import { DevflowError, toDevflowError } from "@devflow/events";

/** Unacknowledged output above which the reader thread pauses git (memory bound). */
const HIGH_WATER_BYTES = 32 * 1024 * 1024;
/** …and below which it resumes. */
const LOW_WATER_BYTES = 8 * 1024 * 1024;

/**
 * The reader thread (CommonJS, evaluated): spawns git, keeps its pipe drained and posts every
 * chunk (transferred, not copied twice) to the main thread, pausing above the high-water mark
 * until the main thread acknowledges what it consumed.
 */
const READER = `
const { parentPort, workerData } = require("node:worker_threads");
const { spawn } = require("node:child_process");
const d = workerData;
let unacked = 0;
let stderr = "";
const child = spawn("git", d.args, {
  cwd: d.cwd,
  env: d.env,
  stdio: [d.stdin === null ? "ignore" : "pipe", "pipe", "pipe"],
});
child.on("error", (err) => parentPort.postMessage({ type: "error", message: String(err && err.message) }));
child.stderr.setEncoding("utf8");
child.stderr.on("data", (text) => { if (stderr.length < 8192) stderr += text; });
if (child.stdin) {
  child.stdin.on("error", () => undefined);
  child.stdin.end(d.stdin);
}
child.stdout.on("data", (chunk) => {
  const copy = new Uint8Array(chunk.length);
  copy.set(chunk);
  unacked += copy.length;
  parentPort.postMessage({ type: "data", chunk: copy }, [copy.buffer]);
  if (unacked >= d.high) child.stdout.pause();
});
parentPort.on("message", (m) => {
  if (m.type === "ack") {
    unacked -= m.bytes;
    if (unacked <= d.low) child.stdout.resume();
  } else if (m.type === "kill") {
    child.kill();
    child.stdout.resume();
  }
});
child.on("close", (code) => parentPort.postMessage({ type: "close", code, stderr }));
`;

type ReaderMessage =
  | { type: "data"; chunk: Uint8Array }
  | { type: "error"; message: string }
  | { type: "close"; code: number | null; stderr: string };

/** Options of {@link streamGitInThread}. */
export interface ThreadStreamOptions {
  cwd: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  stdin?: string;
  signal?: AbortSignal;
  onData: (chunk: Buffer) => void;
  /** Builds the error of a non-zero exit from git's code and standard error. */
  failure: (code: number | null, stderr: string) => Error;
  aborted: () => Error;
}

/**
 * Runs git with its output read by a separate thread, so git never waits while the main
 * thread is busy (e.g. inside a SQLite transaction): git and the consumer run on two cores
 * instead of taking turns through a 64 KiB pipe. Output waiting for the consumer is bounded
 * by a high-water mark, above which git is paused.
 */
export function streamGitInThread(options: ThreadStreamOptions): Promise<void> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(options.aborted());
  return new Promise<void>((resolve, reject) => {
    const worker = new Worker(READER, {
      eval: true,
      workerData: {
        args: [...options.args],
        cwd: options.cwd,
        env: options.env,
        stdin: options.stdin ?? null,
        high: HIGH_WATER_BYTES,
        low: LOW_WATER_BYTES,
      },
    });
    let failed: Error | undefined;
    let settled = false;
    const settle = (err: Error | undefined): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      void worker.terminate();
      if (err) reject(err);
      else resolve();
    };
    const stop = (err: Error): void => {
      failed ??= err;
      worker.postMessage({ type: "kill" });
    };
    const onAbort = (): void => stop(options.aborted());
    signal?.addEventListener("abort", onAbort, { once: true });
    worker.on("message", (m: ReaderMessage) => {
      if (m.type === "data") {
        if (failed) return;
        try {
          options.onData(Buffer.from(m.chunk.buffer, m.chunk.byteOffset, m.chunk.byteLength));
          worker.postMessage({ type: "ack", bytes: m.chunk.byteLength });
        } catch (err) {
          stop(err instanceof Error ? err : toDevflowError(err, "MONITORS_INTERNAL"));
        }
      } else if (m.type === "error") {
        settle(new DevflowError("MONITORS_GIT_FAILED", `cannot run git: ${m.message}`));
      } else {
        settle(failed ?? (m.code === 0 ? undefined : options.failure(m.code, m.stderr)));
      }
    });
    worker.on("error", (err) => settle(err));
    worker.on("exit", () =>
      settle(
        failed ?? new DevflowError("MONITORS_GIT_FAILED", "the git reader thread exited early"),
      ),
    );
  });
}
