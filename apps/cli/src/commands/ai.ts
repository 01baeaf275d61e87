import type { SyncAiResult } from "@devflow/monitors";
import { syncAiRecords } from "@devflow/runtime";
import type { Command } from "commander";
import { configFrom, formatBytes, openConfiguredStorage, output } from "../context.js";

/** `devflow ai …`: the AI-assistant sources. */
export function registerAi(program: Command): void {
  const ai = program
    .command("ai")
    .description("AI-assistant sessions: sources, usage, attribution");
  ai.command("sources")
    .description("read the assistants' local records (incrementally) and show what was found where")
    .action(async (_opts: unknown, cmd: Command) => {
      const config = configFrom(cmd);
      const storage = openConfiguredStorage(config);
      try {
        // A one-shot engine validates, batches and stores the events.
        const result = await syncAiRecords({ storage, config });
        output(cmd, result, () => renderSources(result));
      } finally {
        storage.close();
      }
    });
}

/** The text rendering of `devflow ai sources`. */
export function renderSources(r: SyncAiResult): string {
  const lines: string[] = [];
  for (const s of r.sources) {
    const rec = s.records;
    lines.push(
      `${s.tool}: ${s.files} files, ${s.filesRead} read (${formatBytes(s.bytesRead)}), ` +
        `${rec.usage} usage, ${rec.prompt} prompts, ${rec.tool_use} tool uses, ${rec.edit} edits, ` +
        `${rec.session} sessions; ${s.corruptLines} corrupt lines` +
        (s.restartedFiles ? `; ${s.restartedFiles} files re-read from the start` : ""),
    );
    for (const root of s.roots)
      lines.push(`  ${root.exists ? "found    " : "not found"} ${root.path}`);
    for (const e of s.errors) lines.push(`  error: ${e.file}: ${e.message}`);
  }
  lines.push(
    `Stored ${r.stored} new events (${r.duplicates} already stored, ${r.rejected} rejected) in ${(r.durationMs / 1000).toFixed(2)} s.`,
  );
  for (const e of r.errors) lines.push(`  rejected: ${e}`);
  return lines.join("\n");
}
