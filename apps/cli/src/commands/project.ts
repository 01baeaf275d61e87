import { registerProjectInHome, unregisterProjectInHome } from "@devflow/runtime";
import type { Command } from "commander";
import { configFrom, formatTime, output, openConfiguredStorage } from "../context.js";

/** `devflow project add|list|remove`. */
export function registerProject(program: Command): void {
  const project = program.command("project").description("the projects DevFlow watches");

  project
    .command("add")
    .description(
      "register a project directory (idempotent); a running `devflow up` starts monitoring it at once",
    )
    .argument("[path]", "project root (default: the current directory)")
    .option("--name <name>", "display name (default: the directory name)")
    .action(async (path: string | undefined, opts: { name?: string }, cmd: Command) => {
      const r = await registerProjectInHome(configFrom(cmd), path ?? process.cwd(), opts.name);
      output(cmd, r, () => {
        const what = r.created
          ? `Registered ${r.project.name} (${r.project.id}) at ${r.project.rootPath}.`
          : `${r.project.rootPath} is already registered as ${r.project.name} (${r.project.id}).`;
        return r.monitoring ? `${what} The running DevFlow is monitoring it.` : what;
      });
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
    .action(async (idOrPath: string, _opts: unknown, cmd: Command) => {
      const r = await unregisterProjectInHome(configFrom(cmd), idOrPath);
      const p = r.removed;
      output(cmd, r, () => `Removed ${p.name} (${p.rootPath}).`);
    });
}
