/**
 * The control channel's wire format: newline-delimited JSON over a Unix socket (a named pipe on
 * Windows) in the DevFlow home. A client sends requests `{id, method, params?}`; the server
 * answers each with `{id, ok: true, result}` or `{id, ok: false, error: {code, message}}`. After
 * a `subscribe`, the server also pushes `{subscription, event}` lines, and
 * `{subscription, dropped}` when it had to drop events for a client that does not read.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { z } from "zod";
import { runDirectory } from "./home-lock.js";

/** The longest line (request or reply) either side accepts, in bytes. */
export const CONTROL_MAX_LINE_BYTES = 1024 * 1024;

const IdSchema = z.union([z.number().int(), z.string().min(1).max(128)]);

/** `status`: the running DevFlow's status snapshot (what `devflow status` shows). */
export const StatusRequestSchema = z.strictObject({
  id: IdSchema,
  method: z.literal("status"),
  params: z.strictObject({}).optional(),
});

/** `projects.add`: registers a project and starts monitoring it at once. */
export const AddProjectRequestSchema = z.strictObject({
  id: IdSchema,
  method: z.literal("projects.add"),
  params: z.strictObject({
    path: z.string().min(1).max(4096),
    name: z.string().min(1).max(256).optional(),
  }),
});

/** `projects.remove`: stops a project's monitors and unregisters it (its data is kept). */
export const RemoveProjectRequestSchema = z.strictObject({
  id: IdSchema,
  method: z.literal("projects.remove"),
  params: z.strictObject({ id: z.string().min(1).max(256) }),
});

/** `subscribe`: pushes the events whose type matches `pattern` (default `*`) until disconnect. */
export const SubscribeRequestSchema = z.strictObject({
  id: IdSchema,
  method: z.literal("subscribe"),
  params: z.strictObject({ pattern: z.string().min(1).max(128).optional() }).optional(),
});

/** Any control request. */
export const ControlRequestSchema = z.discriminatedUnion("method", [
  StatusRequestSchema,
  AddProjectRequestSchema,
  RemoveProjectRequestSchema,
  SubscribeRequestSchema,
]);
/** A parsed control request. */
export type ControlRequest = z.infer<typeof ControlRequestSchema>;
/** The methods of the control channel. */
export type ControlMethod = ControlRequest["method"];
/** The methods, for error messages. */
export const CONTROL_METHODS: readonly ControlMethod[] = [
  "status",
  "projects.add",
  "projects.remove",
  "subscribe",
];

/** An error reply's body. */
export interface ControlErrorBody {
  code: string;
  message: string;
}

/** One line from the server. */
export type ControlReply =
  | { id: string | number | null; ok: true; result: unknown }
  | { id: string | number | null; ok: false; error: ControlErrorBody }
  | { subscription: string | number; event: unknown }
  | { subscription: string | number; dropped: number };

/**
 * Where the control channel of a home listens: `<home>/run/control.sock`, or on Windows the
 * named pipe `\\.\pipe\devflow-<hash of the home>` (pipes live outside the file system).
 */
export function controlSocketPath(
  home: string,
  platform: NodeJS.Platform = process.platform,
): string {
  if (platform === "win32") {
    const hash = createHash("sha256").update(home.toLowerCase()).digest("hex").slice(0, 16);
    return `\\\\.\\pipe\\devflow-${hash}`;
  }
  return join(runDirectory(home), "control.sock");
}
