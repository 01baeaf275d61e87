import { ensureProject, resolveProject } from "@devflow/runtime";
import type { Command } from "commander";
import { configFrom, formatTime, output, openConfiguredStorage } from "../context.js";

/** `devflow project add|list|remove`. */
export function registerProject(program: Command): void {
  const project = program.command("project").description("the projects DevFlow watches");

  project
    .command("add")
    .description("register a project directory (idempotent)")
    .argument("[path]", "project root (default: the current directory)")
    .option("--name <name>", "display name (default: the directory name)")
    .action((path: string | undefined, opts: { name?: string }, cmd: Command) => {
      const config = configFrom(cmd);
      const storage = openConfiguredStorage(config);
      try {
        const r = ensureProject(storage, path ?? process.cwd(), opts.name);
        output(cmd, r, () =>
          r.created
            ? `Registered ${r.project.name} (${r.project.id}) at ${r.project.rootPath}.`
            : `${r.project.rootPath} is already registered as ${r.project.name} (${r.project.id}).`,
        );
      } finally {
        storage.close();
      }
    });

  project
    .command("list")
    .description("list registered projects")
    .action((_opts: unknown, cmd: Command) => {
      const config = configFrom(cmd);
      const storage = openConfiguredStorage(config);
      try {
        const projects = storage.projects.list();
        output(cmd, projects, () =>
          projects.length === 0
            ? "No projects registered (add one with `devflow project add [path]`)."
            : projects
                .map((p) => `${p.id}  ${p.name}  ${p.rootPath}  (added ${formatTime(p.createdAt)})`)
                .join("\n"),
        );
      } finally {
        storage.close();
      }
    });

  project
    .command("remove")
    .description("unregister a project (its stored data is kept until pruned or deleted)")
    .argument("<project>", "project id or path")
    .action((idOrPath: string, _opts: unknown, cmd: Command) => {
      const config = configFrom(cmd);
      const storage = openConfiguredStorage(config);
      try {
        const p = resolveProject(storage, idOrPath);
        storage.projects.remove(p.id);
        output(cmd, { removed: p }, () => `Removed ${p.name} (${p.rootPath}).`);
      } finally {
        storage.close();
      }
    });
}
