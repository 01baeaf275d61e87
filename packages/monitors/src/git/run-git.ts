import { spawn } from "node:child_process";
import { DevflowError } from "@devflow/events";
import { streamGitInThread } from "./drain-thread.js";
import { GitLogParser, type ParsedCommit } from "./git-log-parser.js";

/** Environment of every git process: never take optional locks (the index) behind the user. */
function gitEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GIT_OPTIONAL_LOCKS: "0", GIT_TERMINAL_PROMPT: "0" };
}

/** Options of {@link streamGit}. */
export interface StreamGitOptions {
  cwd: string;
  /** Arguments after `git`. */
  args: readonly string[];
  /** Written to the process's standard input (for `--stdin`), then closed. */
  stdin?: string;
  signal?: AbortSignal;
  /** Called with every chunk of standard output, in order; a throw stops git and rejects. */
  onData: (chunk: Buffer) => void;
  /**
   * Read git's output on a separate thread (see `streamGitInThread`): for long outputs whose
   * consumer does heavy synchronous work, so git keeps running meanwhile.
   */
  thread?: boolean;
}

function abortError(signal: AbortSignal): DevflowError {
  return new DevflowError("MONITORS_ABORTED", "git was aborted", { cause: signal.reason });
}

function exitError(args: readonly string[], code: number | null, stderr: string): DevflowError {
  const detail = stderr.trim().split("\n").slice(-3).join(" ");
  const shown = args.filter((a) => !a.startsWith("--format")).join(" ");
  return new DevflowError("MONITORS_GIT_FAILED", `git ${shown} failed (exit ${code}): ${detail}`);
}

/**
 * Spawns one git process and streams its output through `onData` without buffering it: the
 * consumer's synchronous work applies back-pressure to git through the pipe (or, with
 * `thread`, through the reader thread's bounded buffer).
 *
 * @throws {@link DevflowError} `MONITORS_GIT_FAILED` with git's message on a non-zero exit,
 *   `MONITORS_ABORTED` when `signal` fires.
 */
export async function streamGit(options: StreamGitOptions): Promise<void> {
  const { signal } = options;
  if (signal?.aborted) throw abortError(signal);
  if (options.thread) {
    return streamGitInThread({
      cwd: options.cwd,
      args: options.args,
      env: gitEnv(),
      ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
      ...(signal ? { signal } : {}),
      onData: options.onData,
      failure: (code, stderr) => exitError(options.args, code, stderr),
      aborted: () => abortError(signal!),
    });
  }
  const child = spawn("git", options.args, {
    cwd: options.cwd,
    env: gitEnv(),
    stdio: [options.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
  });
  const exit = new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve(code));
  });
  exit.catch(() => undefined); // awaited below; avoid an unhandled rejection meanwhile
  const { stdout, stderr: errStream } = child;
  if (!stdout || !errStream)
    throw new DevflowError("MONITORS_GIT_FAILED", "git has no output pipes");
  let stderr = "";
  errStream.setEncoding("utf8");
  errStream.on("data", (text: string) => {
    if (stderr.length < 8192) stderr += text;
  });
  if (child.stdin) {
    child.stdin.on("error", () => undefined); // git may exit before reading everything
    child.stdin.end(options.stdin);
  }
  const onAbort = (): void => void child.kill();
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for await (const chunk of stdout) options.onData(chunk as Buffer);
  } catch (err) {
    child.kill();
    await exit.catch(() => undefined);
    throw err;
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
  let code: number | null;
  try {
    code = await exit;
  } catch (err) {
    throw new DevflowError("MONITORS_GIT_FAILED", `cannot run git: ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (signal?.aborted) throw abortError(signal);
  if (code !== 0) throw exitError(options.args, code, stderr);
}

/** Runs git and returns its whole standard output (for small outputs such as counts). */
export async function runGit(
  cwd: string,
  args: readonly string[],
  stdin?: string,
  signal?: AbortSignal,
): Promise<string> {
  const chunks: Buffer[] = [];
  await streamGit({
    cwd,
    args,
    ...(stdin === undefined ? {} : { stdin }),
    ...(signal ? { signal } : {}),
    onData: (c) => chunks.push(c),
  });
  return Buffer.concat(chunks).toString("utf8");
}

/** Options of {@link streamGitLog}. */
export interface StreamGitLogOptions extends Omit<StreamGitOptions, "onData"> {
  onCommit: (commit: ParsedCommit) => void;
}

/**
 * Runs one `git log` in the DevFlow format (see `gitLogArgs`) and parses it while it streams.
 * Returns how many records could not be parsed.
 */
export async function streamGitLog(options: StreamGitLogOptions): Promise<{ malformed: number }> {
  const { onCommit, ...rest } = options;
  const parser = new GitLogParser(onCommit);
  await streamGit({ ...rest, onData: (chunk) => parser.push(chunk) });
  parser.end();
  return { malformed: parser.malformed };
}

/**
 * Standard input for `git log --stdin` / `git rev-list --stdin`: the positive revisions, then
 * the excluded ones as `^<rev>` (git 2.39 accepts no `--not` in stdin mode).
 */
export function revisionsInput(include: readonly string[], exclude: readonly string[]): string {
  return [...include, ...exclude.map((r) => `^${r}`)].map((r) => `${r}\n`).join("");
}
