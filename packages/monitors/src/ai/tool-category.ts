import type { ToolCategory } from "./records.js";

const CATEGORIES: Record<string, ToolCategory> = {
  edit: "edit",
  multiedit: "edit",
  notebookedit: "edit",
  replace: "edit",
  apply_patch: "edit",
  write: "write",
  write_file: "write",
  read: "read",
  read_file: "read",
  read_many_files: "read",
  notebookread: "read",
  bash: "shell",
  bashoutput: "shell",
  killshell: "shell",
  shell: "shell",
  exec_command: "shell",
  local_shell_call: "shell",
  run_shell_command: "shell",
  grep: "search",
  glob: "search",
  search_file_content: "search",
  list_directory: "search",
  ls: "search",
  webfetch: "web",
  websearch: "web",
  web_fetch: "web",
  google_web_search: "web",
  web_search_call: "web",
  task: "subagent",
  agent: "subagent",
  todowrite: "plan",
  exitplanmode: "plan",
  update_plan: "plan",
};

/** The category of a tool name (`mcp__server__tool` → `mcp`). */
export function toolCategory(name: string): ToolCategory {
  if (name.startsWith("mcp__")) return "mcp";
  return CATEGORIES[name.toLowerCase()] ?? "other";
}

/** Counts added and removed lines of a unified hunk body (`+…`, `-…`, ` …`). */
export function hunkLines(lines: readonly string[]): { added: string[]; removed: number } {
  const added: string[] = [];
  let removed = 0;
  for (const l of lines) {
    if (l.startsWith("+")) added.push(l.slice(1));
    else if (l.startsWith("-")) removed++;
  }
  return { added, removed };
}

/** Splits file content into lines (a final newline ends the last line, it does not add one). */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/**
 * Lines of `after` that `before` does not have (as a multiset): the added lines of a
 * replacement whose diff the tool did not record.
 */
export function addedLines(before: string, after: string): { added: string[]; removed: number } {
  const pool = new Map<string, number>();
  const old = splitLines(before);
  for (const l of old) pool.set(l, (pool.get(l) ?? 0) + 1);
  const added: string[] = [];
  let kept = 0;
  for (const l of splitLines(after)) {
    const n = pool.get(l) ?? 0;
    if (n > 0) {
      pool.set(l, n - 1);
      kept++;
    } else added.push(l);
  }
  return { added, removed: old.length - kept };
}
