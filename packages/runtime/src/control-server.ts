import { chmodSync, lstatSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import {
  compilePattern,
  type DevflowEvent,
  DevflowError,
  isDevflowError,
  type Logger,
  noopLogger,
  toFieldIssues,
} from "@devflow/events";
import {
  CONTROL_MAX_LINE_BYTES,
  type ControlReply,
  type ControlRequest,
  ControlRequestSchema,
  controlSocketPath,
} from "./control-protocol.js";

/** What the control channel serves: implemented by the running DevFlow. */
export interface ControlHandlers {
  status(): unknown;
  addProject(path: string, name?: string): Promise<unknown>;
  removeProject(id: string): Promise<unknown>;
  /** Calls `handler` with every live event whose type matches; returns an unsubscribe. */
  subscribe(pattern: string, handler: (event: DevflowEvent) => void): () => void;
}

/** Options of {@link startControlServer}. */
export interface ControlServerOptions {
  home: string;
  handlers: ControlHandlers;
  logger?: Logger;
  /** Above this many buffered bytes, pushed events are dropped (counted) — default 1 MiB. */
  softBufferBytes?: number;
  /** Above this many buffered bytes, the client is disconnected — default 8 MiB. */
  hardBufferBytes?: number;
  /** Socket path override (tests); default {@link controlSocketPath}. */
  path?: string;
}

/** A listening control server. */
export interface ControlServer {
  readonly path: string;
  /** Connected clients now. */
  readonly clients: number;
  /** Events dropped for slow clients, and clients disconnected for not reading, since start. */
  readonly counters: { dropped: number; disconnected: number };
  close(): Promise<void>;
}

/**
 * Serves the control channel of a home. Call it only while holding the home's lock
 * ({@link HomeLock}): a socket file already at the path is then left over by a dead owner and is
 * removed (only if it is a socket), so the server never takes over a live one. The socket is
 * made 0600 inside the 0700 run directory. On Windows it listens on a named pipe (that code path
 * is untested).
 *
 * @throws DevflowError `RUNTIME_CONTROL_UNAVAILABLE` when the path is taken by a non-socket or
 * the listen fails.
 */
export async function startControlServer(options: ControlServerOptions): Promise<ControlServer> {
  const path = options.path ?? controlSocketPath(options.home);
  const log = (options.logger ?? noopLogger).child({ component: "control-server" });
  const soft = options.softBufferBytes ?? 1024 * 1024;
  const hard = options.hardBufferBytes ?? 8 * 1024 * 1024;
  const counters = { dropped: 0, disconnected: 0 };
  const sockets = new Set<Socket>();
  if (process.platform !== "win32") removeStaleSocket(path);
  const server = createServer((socket) => {
    sockets.add(socket);
    const conn = new Connection(socket, options.handlers, { soft, hard, counters, log });
    socket.on("close", () => {
      sockets.delete(socket);
      conn.dispose();
    });
  });
  await listen(server, path);
  if (process.platform !== "win32") chmodSync(path, 0o600);
  log.debug({ path }, "control channel listening");
  let closing: Promise<void> | undefined;
  return {
    path,
    get clients() {
      return sockets.size;
    },
    counters,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => {
          if (process.platform !== "win32") rmSync(path, { force: true });
          resolve();
        });
      });
      return closing;
    },
  };
}

function removeStaleSocket(path: string): void {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {
    return; // nothing there
  }
  if (!isSocket) {
    throw controlError(`${path} exists and is not a socket; move it away and start again`);
  }
  rmSync(path, { force: true });
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", (err) => reject(controlError(`cannot listen on ${path}: ${err.message}`)));
    server.listen(path, () => resolve());
  });
}

function controlError(message: string): DevflowError {
  return new DevflowError("RUNTIME_CONTROL_UNAVAILABLE", message);
}

interface ConnectionLimits {
  soft: number;
  hard: number;
  counters: { dropped: number; disconnected: number };
  log: Logger;
}

/** One client: splits lines, validates and dispatches requests, pushes subscribed events. */
class Connection {
  readonly #socket: Socket;
  readonly #handlers: ControlHandlers;
  readonly #limits: ConnectionLimits;
  readonly #subs: Array<() => void> = [];
  readonly #dropped = new Map<string | number, number>();
  #buffer = "";
  #closed = false;

  constructor(socket: Socket, handlers: ControlHandlers, limits: ConnectionLimits) {
    this.#socket = socket;
    this.#handlers = handlers;
    this.#limits = limits;
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => this.#onData(chunk));
    socket.on("drain", () => this.#reportDropped());
    socket.on("error", () => socket.destroy());
  }

  dispose(): void {
    this.#closed = true;
    for (const unsubscribe of this.#subs.splice(0)) unsubscribe();
  }

  #onData(chunk: string): void {
    this.#buffer += chunk;
    let nl: number;
    while ((nl = this.#buffer.indexOf("\n")) >= 0) {
      const line = this.#buffer.slice(0, nl);
      this.#buffer = this.#buffer.slice(nl + 1);
      if (line.trim() !== "") void this.#onLine(line);
    }
    if (Buffer.byteLength(this.#buffer) > CONTROL_MAX_LINE_BYTES) {
      this.#write({
        id: null,
        ok: false,
        error: {
          code: "RUNTIME_CONTROL_BAD_REQUEST",
          message: `request line longer than ${CONTROL_MAX_LINE_BYTES} bytes; closing`,
        },
      });
      this.#socket.end();
      this.#buffer = "";
    }
  }

  async #onLine(line: string): Promise<void> {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      return this.#fail(null, "RUNTIME_CONTROL_BAD_REQUEST", "request is not valid JSON");
    }
    const id = requestId(raw);
    const parsed = ControlRequestSchema.safeParse(raw);
    if (!parsed.success) {
      const detail = toFieldIssues(parsed.error)
        .map((i) => `${i.path}: ${i.message}`)
        .join("; ");
      return this.#fail(id, "RUNTIME_CONTROL_BAD_REQUEST", `invalid request: ${detail}`);
    }
    try {
      this.#write({ id: parsed.data.id, ok: true, result: await this.#dispatch(parsed.data) });
    } catch (err) {
      const code = isDevflowError(err) ? err.code : "RUNTIME_CONTROL_FAILED";
      this.#fail(parsed.data.id, code, err instanceof Error ? err.message : String(err));
    }
  }

  async #dispatch(request: ControlRequest): Promise<unknown> {
    switch (request.method) {
      case "status":
        return this.#handlers.status();
      case "projects.add":
        return this.#handlers.addProject(request.params.path, request.params.name);
      case "projects.remove":
        return this.#handlers.removeProject(request.params.id);
      case "subscribe": {
        const pattern = request.params?.pattern ?? "*";
        compilePattern(pattern); // a bad pattern is this request's error
        const subscription = request.id;
        this.#subs.push(
          this.#handlers.subscribe(pattern, (event) => this.#push(subscription, event)),
        );
        return { subscription, pattern };
      }
    }
  }

  #push(subscription: string | number, event: DevflowEvent): void {
    if (this.#closed) return;
    if (this.#socket.writableLength > this.#limits.soft) {
      this.#dropped.set(subscription, (this.#dropped.get(subscription) ?? 0) + 1);
      this.#limits.counters.dropped++;
      return;
    }
    this.#write({ subscription, event });
  }

  #reportDropped(): void {
    for (const [subscription, dropped] of this.#dropped) this.#write({ subscription, dropped });
    this.#dropped.clear();
  }

  #fail(id: string | number | null, code: string, message: string): void {
    this.#write({ id, ok: false, error: { code, message } });
  }

  #write(reply: ControlReply): void {
    if (this.#closed || this.#socket.destroyed) return;
    if (this.#socket.writableLength > this.#limits.hard) {
      this.#limits.counters.disconnected++;
      this.#limits.log.warn(
        { buffered: this.#socket.writableLength },
        "control client does not read; disconnected",
      );
      this.#socket.destroy();
      return;
    }
    this.#socket.write(`${JSON.stringify(reply)}\n`);
  }
}

function requestId(raw: unknown): string | number | null {
  if (raw === null || typeof raw !== "object") return null;
  const id = (raw as { id?: unknown }).id;
  return typeof id === "string" || typeof id === "number" ? id : null;
}
