import type { DevflowEvent } from "@devflow/events";
import { importGitHistory } from "@devflow/monitors";
import { type Devflow, findRepositoryRoot } from "@devflow/runtime";
import type { Project } from "@devflow/storage";
import { createProgressBar } from "./progress.js";

/**
 * The projects a long-running command watches: the given path (registered on the way), else
 * every registered project, else the repository containing the current directory.
 */
export async function selectProjects(
  devflow: Devflow,
  path: string | undefined,
): Promise<Project[] | undefined> {
  if (path) return [await devflow.addProject(path)];
  const registered = devflow.storage.projects.list();
  if (registered.length > 0) return undefined; // all of them
  const root = findRepositoryRoot(process.cwd());
  return root ? [await devflow.addProject(root)] : [];
}

/** Imports (or continues importing) the git history of each project that is a repository. */
export async function importHistories(
  devflow: Devflow,
  projects: Project[],
  quiet: boolean,
  signal?: AbortSignal,
): Promise<void> {
  for (const project of projects) {
    if (signal?.aborted) return;
    if (!findRepositoryRoot(project.rootPath)) continue;
    const bar = quiet ? null : createProgressBar(`git history of ${project.name}`);
    try {
      await importGitHistory({
        storage: devflow.storage,
        engine: devflow.engine,
        project,
        messages: devflow.config.monitors.git.messages,
        signal,
        onProgress: (done, total) => bar?.update(done, total),
      });
    } catch (err) {
      if (!signal?.aborted) throw err; // interrupted: the next run continues where this one stopped
    } finally {
      bar?.stop();
    }
  }
}

/**
 * Resolves on the first SIGINT or SIGTERM. Call it before starting anything, so a signal that
 * arrives during start-up still leads to a clean stop; a second signal exits at once.
 */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (received) process.exit(signal === "SIGINT" ? 130 : 143);
      received = true;
      resolve(signal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}

/** One human line for an event: time, type, project and its most telling field. */
export function describeEvent(event: DevflowEvent, projectNames: Map<string, string>): string {
  const time = new Date(event.timestamp).toISOString().slice(11, 23);
  const project = event.projectId
    ? (projectNames.get(event.projectId) ?? event.projectId.slice(0, 8))
    : "-";
  const d = event.data as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof d.oldPath === "string") parts.push(`${d.oldPath} →`);
  for (const key of ["path", "branch", "to", "tag", "tool", "metric", "category", "kind"]) {
    if (typeof d[key] === "string") {
      parts.push(d[key]);
      break;
    }
  }
  if (typeof d.hash === "string") parts.push(d.hash.slice(0, 10));
  if (typeof d.linesAdded === "number" || typeof d.linesRemoved === "number") {
    parts.push(`(+${Number(d.linesAdded ?? 0)} -${Number(d.linesRemoved ?? 0)})`);
  }
  if (d.reconciled === true) parts.push("[reconciled]");
  return `${time}  ${event.type.padEnd(22)} ${project.padEnd(16)} ${parts.join(" ")}`.trimEnd();
}
