// Generates a Claude Code transcript corpus in the documented shape (ai-signals.md §2): many
// projects and sessions, responses split over several lines that share one usage, tool results
// with structured patches, progress lines, resumed sessions copying history, subagent files.
// Usage: node ai-corpus.mjs <config-dir> [targetMB=20] [seed=1] [days=14]
// Imported by the benchmark; run as a script by the CLI peer-check test.
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const MODELS = ["claude-sonnet-4-5-20250929", "claude-opus-4-6", "claude-haiku-4-5-20251001"];
const WORDS =
  "the parser reads each line and keeps a cursor so appended bytes are read once while a rewritten file starts again".split(
    " ",
  );

function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/**
 * Writes the corpus under `<dir>/projects` and returns what it wrote.
 * @param {{ dir: string, targetBytes: number, seed?: number, days?: number, start?: number }} o
 */
export function generateClaudeCorpus(o) {
  const rand = rng(o.seed ?? 1);
  const pick = (a) => a[Math.floor(rand() * a.length)];
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const text = (n) => Array.from({ length: n }, () => pick(WORDS)).join(" ");
  const days = o.days ?? 14;
  const start = o.start ?? Date.parse("2026-01-05T00:00:00.000Z");
  let bytes = 0;
  let files = 0;
  let responses = 0;
  let sessionNo = 0;
  const history = new Map(); // project -> last session's response lines
  while (bytes < o.targetBytes) {
    sessionNo++;
    const project = `p${int(0, 7)}`;
    const cwd = `/work/${project}`;
    const dir = join(o.dir, "projects", `-work-${project}`);
    mkdirSync(dir, { recursive: true });
    const session = `s${o.seed ?? 1}-${sessionNo}`;
    const file = join(dir, `${session}.jsonl`);
    let t = start + int(0, days * 24 - 6) * 3_600_000 + int(0, 3_599) * 1000;
    const iso = () => new Date(t).toISOString();
    const lines = [];
    const envelope = (type, extra) => ({
      parentUuid: null,
      isSidechain: false,
      userType: "external",
      cwd,
      sessionId: session,
      version: "2.1.3",
      gitBranch: "main",
      type,
      uuid: `${session}-${lines.length}`,
      timestamp: iso(),
      ...extra,
    });
    // A resumed session starts with a copy of the previous session's last responses.
    const prev = history.get(project);
    if (prev && rand() < 0.3)
      for (const l of prev.slice(-4))
        lines.push(l.replace(/"sessionId":"[^"]+"/, `"sessionId":"${session}"`));
    const own = [];
    const n = int(5, 40);
    for (let i = 0; i < n; i++) {
      t += int(5, 120) * 1000;
      lines.push(
        JSON.stringify(envelope("user", { message: { role: "user", content: text(int(5, 40)) } })),
      );
      const msg = `msg_${session}_${i}`;
      const req = `req_${session}_${i}`;
      const model = rand() < 0.05 ? MODELS[1] : pick(MODELS);
      const usage = {
        input_tokens: rand() < 0.5 ? int(0, 1) : int(2, 5000),
        cache_creation_input_tokens: int(0, 20_000),
        cache_read_input_tokens: int(0, 150_000),
        output_tokens: int(1, 4000),
        service_tier: "standard",
        ...(rand() < 0.03 ? { speed: "fast" } : {}),
      };
      const blocks = [
        { type: "thinking", thinking: text(int(10, 60)), signature: "sig" },
        { type: "text", text: text(int(10, 80)) },
      ];
      if (rand() < 0.5)
        blocks.push({
          type: "tool_use",
          id: `toolu_${session}_${i}`,
          name: "Edit",
          input: { file_path: `${cwd}/src/f${int(0, 20)}.ts`, old_string: "a", new_string: "b" },
        });
      const parts = int(1, 3);
      for (let b = 0; b < Math.min(parts, blocks.length); b++) {
        t += 200;
        const line = JSON.stringify(
          envelope("assistant", {
            requestId: req,
            message: {
              id: msg,
              type: "message",
              role: "assistant",
              model,
              content: [blocks[b]],
              stop_reason: null,
              usage,
            },
          }),
        );
        lines.push(line);
        own.push(line);
      }
      responses++;
      if (blocks.length === 3 && parts === 3) {
        t += 500;
        const body = Array.from({ length: int(2, 12) }, () => `+  ${text(8)}`);
        lines.push(
          JSON.stringify(
            envelope("user", {
              message: {
                role: "user",
                content: [{ type: "tool_result", tool_use_id: blocks[2].id, content: "ok" }],
              },
              toolUseResult: {
                filePath: blocks[2].input.file_path,
                oldString: "a",
                newString: "b",
                structuredPatch: [
                  {
                    oldStart: 1,
                    oldLines: 1,
                    newStart: 1,
                    newLines: body.length,
                    lines: ["-a", ...body],
                  },
                ],
                userModified: false,
                replaceAll: false,
              },
            }),
          ),
        );
      }
      if (rand() < 0.3)
        lines.push(
          JSON.stringify(
            envelope("progress", { data: { type: "hook_progress", output: text(30) } }),
          ),
        );
    }
    history.set(project, own);
    const content = lines.join("\n") + "\n";
    writeFileSync(file, content);
    bytes += content.length;
    files++;
    // Subagents write their own files with sidechain requests.
    if (rand() < 0.25) {
      const sub = join(dir, session, "subagents", `agent-${sessionNo}.jsonl`);
      mkdirSync(join(dir, session, "subagents"), { recursive: true });
      const subLines = [];
      for (let i = 0; i < int(2, 8); i++) {
        t += 30_000;
        const usage = {
          input_tokens: int(2, 3000),
          cache_creation_input_tokens: int(0, 5000),
          cache_read_input_tokens: int(0, 40_000),
          output_tokens: int(1, 2000),
          service_tier: "standard",
        };
        subLines.push(
          JSON.stringify({
            ...envelope("assistant", {
              requestId: `req_sub_${session}_${i}`,
              message: {
                id: `msg_sub_${session}_${i}`,
                type: "message",
                role: "assistant",
                model: MODELS[2],
                content: [{ type: "text", text: text(40) }],
                stop_reason: null,
                usage,
              },
            }),
            isSidechain: true,
            agentId: `a${sessionNo}`,
          }),
        );
        responses++;
      }
      const c = subLines.join("\n") + "\n";
      writeFileSync(sub, c);
      bytes += c.length;
      files++;
    }
  }
  return { bytes, files, responses, sessions: sessionNo };
}

/** Appends about `bytes` of new responses to one new session file (for incremental reads). */
export function appendClaudeSession(dir, bytes, seed = 99) {
  const file = join(dir, "projects", "-work-p0", `append-${seed}.jsonl`);
  mkdirSync(join(dir, "projects", "-work-p0"), { recursive: true });
  let written = 0;
  let i = 0;
  const lines = [];
  while (written < bytes) {
    const line = JSON.stringify({
      parentUuid: null,
      isSidechain: false,
      cwd: "/work/p0",
      sessionId: `append-${seed}`,
      version: "2.1.3",
      type: "assistant",
      uuid: `ap-${seed}-${i}`,
      timestamp: new Date(Date.parse("2026-01-20T10:00:00.000Z") + i * 1000).toISOString(),
      requestId: `req_ap_${seed}_${i}`,
      message: {
        id: `msg_ap_${seed}_${i}`,
        type: "message",
        role: "assistant",
        model: MODELS[0],
        content: [{ type: "text", text: WORDS.join(" ").repeat(8) }],
        usage: {
          input_tokens: 10,
          cache_creation_input_tokens: 100,
          cache_read_input_tokens: 1000,
          output_tokens: 50,
        },
      },
    });
    lines.push(line);
    written += line.length + 1;
    i++;
  }
  appendFileSync(file, lines.join("\n") + "\n");
  return { bytes: written, responses: i };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [dir, mb = "20", seed = "1", days = "14"] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write("usage: node ai-corpus.mjs <config-dir> [targetMB] [seed] [days]\n");
    process.exit(2);
  }
  const r = generateClaudeCorpus({
    dir,
    targetBytes: Number(mb) * 1024 * 1024,
    seed: Number(seed),
    days: Number(days),
  });
  process.stdout.write(`${JSON.stringify(r)}\n`);
}
