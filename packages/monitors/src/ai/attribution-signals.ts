/** Confidence tiers of AI evidence (CHAOSS disclosure ranking, ai-signals §6). */
export type Confidence = "high" | "medium" | "low";

/** One piece of evidence that a commit involved an AI assistant. */
export interface AiEvidence {
  /** `trailer`, `footer`, `author_suffix`, `bot_identity`, `git_notes`, `branch_prefix`, `line_match`, … */
  kind: string;
  detail: string;
  confidence: Confidence;
  tool?: string;
}

/** Co-author e-mail addresses of assistants, and the tool each stands for. */
const AI_COAUTHOR_EMAILS: Readonly<Record<string, string>> = {
  "noreply@anthropic.com": "claude-code",
  "noreply@openai.com": "codex",
  "cursoragent@cursor.com": "cursor",
  "noreply@aider.chat": "aider",
  "aider@aider.chat": "aider",
  "copilot@github.com": "copilot",
  "198982749+copilot@users.noreply.github.com": "copilot",
};

/** GitHub bot accounts of assistants (`name[bot]`), and the tool each stands for. */
const AI_BOT_ACCOUNTS: Readonly<Record<string, string>> = {
  "claude[bot]": "claude-code",
  "copilot[bot]": "copilot",
  "copilot-swe-agent[bot]": "copilot",
  "cursor[bot]": "cursor",
  "openai-codex[bot]": "codex",
  "chatgpt-codex-connector[bot]": "codex",
  "gemini-code-assist[bot]": "gemini-cli",
  "devin-ai-integration[bot]": "devin",
};

/** Branch prefixes agents create, and the tool each stands for. */
export const AI_BRANCH_PREFIXES: Readonly<Record<string, string>> = {
  "claude/": "claude-code",
  "codex/": "codex",
  "copilot/": "copilot",
  "cursor/": "cursor",
  "aider/": "aider",
  "gemini/": "gemini-cli",
};

const TOOL_WORDS: ReadonlyArray<[RegExp, string]> = [
  [/claude/i, "claude-code"],
  [/codex|openai/i, "codex"],
  [/cursor/i, "cursor"],
  [/aider/i, "aider"],
  [/gemini/i, "gemini-cli"],
  [/copilot/i, "copilot"],
];

/** The tool a free-form name mentions (`Claude Opus 4.6` → `claude-code`), if any. */
function toolFromName(name: string): string | undefined {
  return TOOL_WORDS.find(([re]) => re.test(name))?.[1];
}

/** Who made a commit, as evidence needs it. */
export interface CommitIdentity {
  authorName: string;
  authorEmail: string;
  committerName: string;
  committerEmail: string;
  message: string;
}

function botOf(name: string, email: string): string | undefined {
  const n = name.toLowerCase();
  if (AI_BOT_ACCOUNTS[n]) return n;
  const m = /^\d+\+([^@]+\[bot\])@users\.noreply\.github\.com$/i.exec(email);
  const login = m?.[1]?.toLowerCase();
  return login && AI_BOT_ACCOUNTS[login] ? login : undefined;
}

/**
 * Evidence from a commit's own text and identities: co-author trailers with a known assistant
 * address, `Assisted-by:` and session-id trailers, bot identities, `(aider)` author suffixes
 * (high); the `aider:` subject prefix and "Generated with …"/"Made with Cursor" footers
 * (medium); a bare `Co-authored-by` naming a tool at another address (low).
 */
export function messageEvidence(c: CommitIdentity): AiEvidence[] {
  const out: AiEvidence[] = [];
  for (const raw of c.message.split("\n")) {
    const line = raw.trim();
    const co = /^co-authored-by:\s*(.*?)\s*<([^>]+)>\s*$/i.exec(line);
    if (co) {
      const email = co[2]!.toLowerCase();
      const tool =
        AI_COAUTHOR_EMAILS[email] ??
        (email.endsWith("[bot]@users.noreply.github.com") ? toolFromName(email) : undefined);
      if (tool)
        out.push({
          kind: "trailer",
          detail: `Co-authored-by: ${co[1]} <${email}>`,
          confidence: "high",
          tool,
        });
      else {
        const named = toolFromName(co[1]!);
        if (named)
          out.push({
            kind: "trailer",
            // Not an assistant's address: a person's, so it is not stored.
            detail: `Co-authored-by: ${co[1]} <[email]>`,
            confidence: "low",
            tool: named,
          });
      }
      continue;
    }
    const assisted = /^assisted-by:\s*(.+)$/i.exec(line);
    if (assisted) {
      out.push({
        kind: "trailer",
        detail: `Assisted-by: ${assisted[1]}`,
        confidence: "high",
        tool: toolFromName(assisted[1]!) ?? assisted[1]!.split(":")[0]!.trim(),
      });
      continue;
    }
    const session = /^(claude-session|replit-commit-author|entire-[a-z-]+):\s*(.+)$/i.exec(line);
    if (session) {
      out.push({
        kind: "trailer",
        detail: `${session[1]}: ${session[2]!.slice(0, 200)}`,
        confidence: "high",
        tool: toolFromName(session[1]!) ?? session[1]!.toLowerCase().split("-")[0],
      });
      continue;
    }
    if (/generated with \[?claude code/i.test(line))
      out.push({
        kind: "footer",
        detail: "Generated with Claude Code",
        confidence: "medium",
        tool: "claude-code",
      });
    else if (/made with cursor/i.test(line))
      out.push({
        kind: "footer",
        detail: "Made with Cursor",
        confidence: "medium",
        tool: "cursor",
      });
  }
  if (/^aider: /.test(c.message))
    out.push({
      kind: "subject_prefix",
      detail: "subject starts with `aider:`",
      confidence: "medium",
      tool: "aider",
    });
  for (const [who, name] of [
    ["author", c.authorName],
    ["committer", c.committerName],
  ] as const) {
    if (/ \(aider\)$/.test(name))
      out.push({
        kind: "author_suffix",
        detail: `${who} ${name}`,
        confidence: "high",
        tool: "aider",
      });
  }
  for (const [name, email] of [
    [c.authorName, c.authorEmail],
    [c.committerName, c.committerEmail],
  ] as const) {
    const bot = botOf(name, email);
    const agent = AI_COAUTHOR_EMAILS[email.toLowerCase()];
    if (bot)
      out.push({
        kind: "bot_identity",
        detail: `${name} <${email}>`,
        confidence: "high",
        tool: AI_BOT_ACCOUNTS[bot],
      });
    else if (agent)
      out.push({
        kind: "bot_identity",
        detail: `${name} <${email}>`,
        confidence: "high",
        tool: agent,
      });
  }
  return dedupeEvidence(out);
}

/** Removes repeated evidence (same kind, detail and tool). */
export function dedupeEvidence(list: readonly AiEvidence[]): AiEvidence[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    const k = `${e.kind}\u0000${e.detail}\u0000${e.tool ?? ""}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A git-ai style note (`refs/notes/ai`): AI line ranges per file, and the tools named. */
export interface AiNote {
  lines: Map<string, Array<[number, number]>>;
  tools: string[];
}

/**
 * Parses a `refs/notes/ai` note in the git-ai authorship layout: file paths at the start of a
 * line, each followed by indented `<session> <ranges>` lines (`1-10,15`), then `---` and JSON
 * metadata naming the tools (`agent_id.tool`). Unknown layouts yield what could be read.
 */
export function parseAiNote(text: string): AiNote {
  const [attestation = "", meta = ""] = text.split(/^---\s*$/m);
  const lines = new Map<string, Array<[number, number]>>();
  let file: string | undefined;
  for (const raw of attestation.split("\n")) {
    if (raw.trim() === "") continue;
    if (!/^\s/.test(raw)) {
      file = raw.trim().replace(/^"|"$/g, "");
      continue;
    }
    const ranges = /^\s+\S+\s+([\d,\s-]+)$/.exec(raw);
    if (!file || !ranges) continue;
    const list = lines.get(file) ?? [];
    for (const part of ranges[1]!.split(",")) {
      const m = /^\s*(\d+)(?:\s*-\s*(\d+))?\s*$/.exec(part);
      if (m) list.push([Number(m[1]), Number(m[2] ?? m[1])]);
    }
    lines.set(file, list);
  }
  const tools = new Set<string>();
  for (const m of meta.matchAll(/"tool"\s*:\s*"([^"]+)"/g)) tools.add(toolFromName(m[1]!) ?? m[1]!);
  return { lines, tools: [...tools] };
}
