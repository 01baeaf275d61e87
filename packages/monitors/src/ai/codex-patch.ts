/** One file of an `apply_patch` envelope. */
export interface PatchFile {
  path: string;
  op: "create" | "modify" | "delete";
  added: string[];
  removed: number;
}

/**
 * Parses Codex's `apply_patch` format (`*** Begin Patch`, `*** Add File: p`, `*** Update File: p`
 * with `@@` hunks, `*** Delete File: p`, `*** Move to: q`, `*** End Patch`) into added lines and
 * removed-line counts per file.
 */
export function parseApplyPatch(patch: string): PatchFile[] {
  const files: PatchFile[] = [];
  let current: PatchFile | undefined;
  for (const raw of patch.split(/\r?\n/)) {
    const header = /^\*\*\* (Add|Update|Delete) File: (.+)$/.exec(raw);
    if (header) {
      const op = header[1] === "Add" ? "create" : header[1] === "Delete" ? "delete" : "modify";
      current = { path: header[2]!.trim(), op, added: [], removed: 0 };
      files.push(current);
      continue;
    }
    const move = /^\*\*\* Move to: (.+)$/.exec(raw);
    if (move && current) {
      current.path = move[1]!.trim();
      continue;
    }
    if (raw.startsWith("***") || !current) continue;
    if (raw.startsWith("+")) current.added.push(raw.slice(1));
    else if (raw.startsWith("-")) current.removed++;
  }
  return files;
}
