/**
 * Random and hostile MCP traffic for the stdio fuzz test: tool calls built from each listed
 * tool's input schema with wrong types, huge strings, unknown parameters, path escapes (`..`,
 * absolute paths, a symlink leaving the root, a sibling-prefix directory, NUL bytes), invalid
 * cursors and periods; unknown tools and methods; and lines that are not valid JSON-RPC.
 * Everything is drawn from a seeded PRNG so a failing run can be replayed with its seed.
 */
import { encodeCursor } from "@devflow/mcp-tools";

/** A seeded PRNG (mulberry32) with a few helpers. */
export class Rng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

/** The fixture paths the generator aims at. */
export interface FuzzFixture {
  /** The allowed project root (canonical). */
  readonly root: string;
  /** A directory outside every root, holding `secret.txt`. */
  readonly outside: string;
  /** The DevFlow home of the server. */
  readonly home: string;
}

/** A tool as `tools/list` describes it. */
export interface ListedTool {
  readonly name: string;
  readonly inputSchema: {
    properties?: Record<string, { type?: string | string[]; enum?: unknown[]; items?: unknown }>;
  };
}

/** One line to send: a request (answered under `id`), or a line that needs no answer. */
export type FuzzLine =
  | { readonly kind: "request"; readonly id: number | string; readonly text: string }
  | { readonly kind: "noise"; readonly text: string };

/** Every path-like string the generator uses, hostile and harmless. */
function pathCases(f: FuzzFixture): string[] {
  return [
    ".",
    f.root,
    `${f.root}/`,
    `${f.root}/sub`,
    "sub",
    "sub/inner-link",
    "sub/inner-link/index.ts",
    "src/index.ts",
    "./sub/../sub",
    "..",
    "../..",
    "../../../../../../etc/passwd",
    "sub/../../",
    `${f.root}/..`,
    `${f.root}/../${f.outside.split("/").at(-1) ?? ""}`,
    f.outside,
    `${f.outside}/secret.txt`,
    "escape",
    "escape/secret.txt",
    `${f.root}/escape`,
    "escape-file",
    "dangling",
    `${f.root}-evil`,
    `${f.root}-evil/x`,
    `${f.root}evil`,
    "/etc",
    "/",
    "//",
    "/proc/self/root",
    f.home,
    `${f.home}/devflow.db`,
    "a\u0000b",
    `${f.root}\u0000/../..`,
    "\u0000",
    "~",
    "~/.ssh/id_rsa",
    "%2e%2e/%2e%2e/etc",
    "..\\..\\windows",
    "C:\\Windows\\System32",
    "file:///etc/passwd",
    "\u202e..",
    " ",
    "",
    "sub/".repeat(1100),
    "x".repeat(4097),
  ];
}

const PERIODS = [
  "today",
  "yesterday",
  "this_week",
  "last_month",
  "7d",
  "24h",
  "90m",
  "4w",
  "99999w",
  "0d",
  "-5d",
  "2026-01-05",
  "2026-13-45",
  "2026-02-30",
  "2026-01-01/2025-01-01",
  "1970-01-01/9999-12-31",
  "2026-01-01T00:00:00Z/2026-01-02T00:00:00Z",
  "/",
  "soon",
  "",
  "NaN",
  "9".repeat(64),
];

function cursorCases(rng: Rng): string[] {
  return [
    "garbage",
    "",
    "eyJvIjotMX0",
    encodeCursor({ o: -1 }),
    encodeCursor({ o: 1e12 }),
    encodeCursor({ o: "1" }),
    encodeCursor({ timestamp: "x", id: 5 }),
    encodeCursor({ timestamp: 1e20, id: "z" }),
    encodeCursor({ __proto__: { polluted: true } }),
    encodeCursor(null),
    Buffer.from("not json").toString("base64url"),
    "%%%===",
    "a".repeat(512),
    "a".repeat(513),
    encodeCursor({ o: rng.int(5) }),
  ];
}

const HOSTILE_KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "path2",
  "project_id",
  "",
  "a\u0000b",
  "k".repeat(300),
];

function hugeString(rng: Rng): string {
  const size = 64 * 1024 + rng.int(960 * 1024);
  return rng
    .pick(["A", "../", "\u00e9", "\u0000"])
    .repeat(Math.ceil(size / 3))
    .slice(0, size);
}

function nested(depth: number): unknown {
  let v: unknown = "leaf";
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? { a: v } : [v];
  return v;
}

/** Generates lines of hostile MCP traffic. */
export class FuzzGenerator {
  readonly #rng: Rng;
  readonly #tools: readonly ListedTool[];
  readonly #paths: string[];
  readonly #hugeBudget: { left: number };
  #next = 1000;

  constructor(rng: Rng, tools: readonly ListedTool[], fixture: FuzzFixture, hugeStrings: number) {
    this.#rng = rng;
    this.#tools = tools;
    this.#paths = pathCases(fixture);
    this.#hugeBudget = { left: hugeStrings };
  }

  #string(): string {
    const rng = this.#rng;
    const r = rng.next();
    if (r < 0.45) return rng.pick(this.#paths);
    if (r < 0.6) return rng.pick(PERIODS);
    if (r < 0.72) return rng.pick(cursorCases(rng));
    if (r < 0.75 && this.#hugeBudget.left > 0) {
      this.#hugeBudget.left--;
      return hugeString(rng);
    }
    if (r < 0.85) {
      return rng.pick(["file.", "git.commit", "test.", "login_failed", "dev1", "dev1", "admin"]);
    }
    return String.fromCharCode(...Array.from({ length: rng.int(40) }, () => rng.int(0x3000)));
  }

  /** Any JSON value, often of the wrong type. */
  #any(depth = 0): unknown {
    const rng = this.#rng;
    switch (rng.int(depth > 2 ? 7 : 10)) {
      case 0:
        return null;
      case 1:
        return rng.chance(0.5);
      case 2:
        return rng.pick([0, -1, 1, 1.5, -0.0, 2 ** 53 + 1, 1e308, -1e308, 65_536, 4097]);
      case 3:
      case 4:
      case 5:
        return this.#string();
      case 6:
        return rng.chance(0.1) ? nested(50 + rng.int(400)) : {};
      case 7:
        return Array.from({ length: rng.int(4) }, () => this.#any(depth + 1));
      case 8:
        return Array.from({ length: rng.chance(0.1) ? 30 : rng.int(4) }, () => this.#string());
      default: {
        const o: Record<string, unknown> = {};
        for (let i = rng.int(4); i > 0; i--) o[rng.pick(HOSTILE_KEYS)] = this.#any(depth + 1);
        return o;
      }
    }
  }

  /** A value shaped like the property's schema (still often hostile in content). */
  #plausible(schema: { type?: string | string[]; enum?: unknown[] }): unknown {
    const rng = this.#rng;
    if (schema.enum && rng.chance(0.8)) return rng.pick(schema.enum);
    const type = Array.isArray(schema.type) ? rng.pick(schema.type) : schema.type;
    if (type === "number" || type === "integer") {
      return rng.pick([1, 2, 10, 50, 500, 501, 0, -3, 36_500, 3650, 2.5]);
    }
    if (type === "array") return Array.from({ length: rng.int(3) }, () => this.#string());
    if (type === "boolean") return rng.chance(0.5);
    if (type === "object") return rng.chance(0.5) ? { theme: "dark", drop: null } : this.#any();
    return this.#string();
  }

  #arguments(tool: ListedTool | undefined): unknown {
    const rng = this.#rng;
    if (rng.chance(0.06)) return rng.pick([null, [], ["project"], "project", 42, true]);
    if (rng.chance(0.04)) return undefined;
    const args: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(tool?.inputSchema.properties ?? {})) {
      if (!rng.chance(0.6)) continue;
      args[key] = rng.chance(0.55) ? this.#plausible(schema) : this.#any();
    }
    if (rng.chance(0.15)) args[rng.pick(HOSTILE_KEYS)] = this.#any();
    return args;
  }

  #id(): number | string {
    const n = this.#next++;
    return this.#rng.chance(0.2) ? `s-${n}` : n;
  }

  #request(method: string, params: unknown): FuzzLine {
    const id = this.#id();
    const message: Record<string, unknown> = { jsonrpc: "2.0", id, method };
    if (params !== undefined) message["params"] = params;
    const text = JSON.stringify(message);
    // MCP's JSON-RPC schema wants params (and params._meta) to be objects; the SDK drops other
    // messages without an answer, so they are noise here, not requests.
    const meta = (params as { _meta?: unknown } | null)?._meta;
    const valid =
      params === undefined ||
      (params !== null &&
        typeof params === "object" &&
        !Array.isArray(params) &&
        (meta === undefined || (meta !== null && typeof meta === "object")));
    return valid ? { kind: "request", id, text } : { kind: "noise", text };
  }

  /** A tool call, occasionally to an unknown tool. */
  toolCall(): FuzzLine {
    const rng = this.#rng;
    const tool = rng.chance(0.94) ? rng.pick(this.#tools) : undefined;
    const name =
      tool?.name ??
      rng.pick(["rm_rf", "", "__proto__", "constructor", "GET_PROJECT_STATUS", "x".repeat(5000)]);
    const args = this.#arguments(tool);
    const params: Record<string, unknown> = { name };
    if (args !== undefined) params["arguments"] = args;
    if (rng.chance(0.02)) params["_meta"] = rng.pick([{ progressToken: 7 }, { x: null }, null]);
    return this.#request("tools/call", params);
  }

  /** Another method: list calls with bad cursors, resource reads, prompts, unknown methods. */
  otherRequest(): FuzzLine {
    const rng = this.#rng;
    switch (rng.int(7)) {
      case 0:
        return this.#request("tools/list", rng.pick([{}, { cursor: this.#string() }, undefined]));
      case 1:
        return this.#request("resources/read", {
          uri: rng.pick([
            "devflow://projects/../../etc/status",
            `devflow://projects/${encodeURIComponent(this.#string())}/status`,
            "file:///etc/passwd",
            "devflow://projects//status",
            "",
          ]),
        });
      case 2:
        return this.#request("resources/list", {});
      case 3:
        return this.#request("prompts/list", {});
      case 4:
        return this.#request("ping", undefined);
      case 5:
        return this.#request(rng.pick(["tools/exec", "", "rpc.discover", "__proto__"]), {});
      default:
        return this.#request(
          "tools/call",
          rng.pick([null, { name: 42 }, [], "x", { arguments: {} }]),
        );
    }
  }

  /** A line the server must survive without answering it under a tracked id. */
  noise(): FuzzLine {
    const rng = this.#rng;
    const text = rng.pick([
      "not json",
      "{",
      "[]",
      "null",
      '"string"',
      "42",
      "{}",
      '{"jsonrpc":"1.0","id":"noise","method":"ping"}',
      '[{"jsonrpc":"2.0","id":"noise-batch","method":"ping"}]',
      '{"jsonrpc":"2.0","id":{"nested":1},"method":"ping"}',
      '{"jsonrpc":"2.0","id":null,"method":"ping"}',
      '{"jsonrpc":"2.0","method":"tools/call","params":{"name":"remove_project"}}',
      '{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"nobody"}}',
      '{"jsonrpc":"2.0","id":987654321,"result":{}}',
      '{"jsonrpc":"2.0","id":987654322,"error":{"code":1,"message":"x"}}',
      `{"jsonrpc":"2.0","id":"deep","method":"ping","params":${"[".repeat(3000)}${"]".repeat(3000)}}`,
      "\u0000\u0000",
      "   ",
      `{"jsonrpc":"2.0","id":"trunc","method":"tools/call","params":{"name":"whoami"`,
    ]);
    return { kind: "noise", text };
  }

  /** The next line: mostly tool calls, some other requests, a little noise. */
  line(): FuzzLine {
    const r = this.#rng.next();
    if (r < 0.9) return this.toolCall();
    if (r < 0.97) return this.otherRequest();
    return this.noise();
  }
}
