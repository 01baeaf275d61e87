import { connect, type Socket } from "node:net";
import { knownErrorCode } from "./errors.js";
import { type DevflowEvent, DevflowError } from "@devflow/events";
import type { Project } from "@devflow/storage";
import {
  CONTROL_MAX_LINE_BYTES,
  type ControlMethod,
  type ControlReply,
  controlSocketPath,
} from "./control-protocol.js";
import type { DevflowStatus } from "./devflow.js";

/** Options of {@link ControlClient.connect}. */
export interface ControlClientOptions {
  /** Socket path override; default {@link controlSocketPath} of the home. */
  path?: string;
  /** Give up connecting after this long (default 2 s). */
  timeoutMs?: number;
}

/** What `projects.add` answers. */
export interface AddProjectReply {
  project: Project;
  created: boolean;
  /** True when the running DevFlow started monitoring it. */
  monitoring: boolean;
}

type Pending = { resolve: (value: unknown) => void; reject: (err: Error) => void };

/**
 * A typed client of a running DevFlow's control channel.
 *
 * @example
 * const client = await ControlClient.connect(config.home);
 * const status = await client.status();
 * await client.subscribe("ai.*", (event) => console.log(event.type));
 * client.close();
 */
export class ControlClient {
  readonly #socket: Socket;
  readonly #pending = new Map<number, Pending>();
  readonly #subscriptions = new Map<number, (event: DevflowEvent) => void>();
  readonly #closeListeners = new Set<(err?: Error) => void>();
  #next = 1;
  #buffer = "";
  #closed = false;
  /** Events the server dropped for this client because it read too slowly. */
  dropped = 0;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => this.#onData(chunk));
    socket.on("close", () => this.#onClose());
    socket.on("error", (err) => this.#onClose(err));
  }

  /**
   * Connects to the control channel of `home`.
   *
   * @throws DevflowError `RUNTIME_CONTROL_UNAVAILABLE` when nothing listens there.
   */
  static connect(home: string, options: ControlClientOptions = {}): Promise<ControlClient> {
    const path = options.path ?? controlSocketPath(home);
    return new Promise((resolve, reject) => {
      const socket = connect(path);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(unavailable(path, "timed out"));
      }, options.timeoutMs ?? 2000);
      socket.once("connect", () => {
        clearTimeout(timer);
        socket.removeAllListeners("error");
        resolve(new ControlClient(socket));
      });
      socket.once("error", (err) => {
        clearTimeout(timer);
        reject(unavailable(path, err.message));
      });
    });
  }

  /** The running DevFlow's status snapshot. */
  status(): Promise<DevflowStatus> {
    return this.request("status") as Promise<DevflowStatus>;
  }

  /** Registers a project in the running DevFlow, which starts monitoring it at once. */
  addProject(path: string, name?: string): Promise<AddProjectReply> {
    return this.request("projects.add", {
      path,
      ...(name === undefined ? {} : { name }),
    }) as Promise<AddProjectReply>;
  }

  /** Unregisters a project in the running DevFlow and stops its monitors. */
  removeProject(id: string): Promise<{ removed: boolean }> {
    return this.request("projects.remove", { id }) as Promise<{ removed: boolean }>;
  }

  /** Receives the live events matching `pattern` (`*`, `git.*` or a type) until {@link close}. */
  async subscribe(pattern: string, handler: (event: DevflowEvent) => void): Promise<void> {
    const id = this.#next;
    this.#subscriptions.set(id, handler);
    try {
      await this.request("subscribe", { pattern });
    } catch (err) {
      this.#subscriptions.delete(id);
      throw err;
    }
  }

  /** Calls `listener` once the connection ends (with the error, if it failed). */
  onClose(listener: (err?: Error) => void): () => void {
    this.#closeListeners.add(listener);
    return () => void this.#closeListeners.delete(listener);
  }

  /**
   * Sends one request and waits for its reply.
   *
   * @throws DevflowError with the server's error code when it answers with an error.
   */
  request(method: ControlMethod, params?: Record<string, unknown>): Promise<unknown> {
    if (this.#closed) {
      return Promise.reject(
        new DevflowError("RUNTIME_CONTROL_UNAVAILABLE", "the control connection is closed"),
      );
    }
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#socket.write(
        `${JSON.stringify({ id, method, ...(params === undefined ? {} : { params }) })}\n`,
      );
    });
  }

  /** Closes the connection (idempotent). */
  close(): void {
    this.#socket.end();
    this.#socket.destroy();
    this.#onClose();
  }

  #onData(chunk: string): void {
    this.#buffer += chunk;
    let nl: number;
    while ((nl = this.#buffer.indexOf("\n")) >= 0) {
      const line = this.#buffer.slice(0, nl);
      this.#buffer = this.#buffer.slice(nl + 1);
      if (line !== "") this.#onLine(line);
    }
    if (this.#buffer.length > CONTROL_MAX_LINE_BYTES) {
      this.#onClose(new DevflowError("RUNTIME_CONTROL_FAILED", "reply line too long"));
      this.#socket.destroy();
    }
  }

  #onLine(line: string): void {
    let reply: ControlReply;
    try {
      reply = JSON.parse(line) as ControlReply;
    } catch {
      return;
    }
    if ("subscription" in reply) {
      const handler = this.#subscriptions.get(Number(reply.subscription));
      if ("dropped" in reply) this.dropped += reply.dropped;
      else if (handler) handler(reply.event as DevflowEvent);
      return;
    }
    const pending = typeof reply.id === "number" ? this.#pending.get(reply.id) : undefined;
    if (!pending) return;
    this.#pending.delete(reply.id as number);
    if (reply.ok) pending.resolve(reply.result);
    else {
      const code = knownErrorCode(reply.error.code) ?? "RUNTIME_CONTROL_FAILED";
      pending.reject(new DevflowError(code, reply.error.message));
    }
  }

  #onClose(err?: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    const why = new DevflowError(
      "RUNTIME_CONTROL_UNAVAILABLE",
      `the control connection closed${err ? `: ${err.message}` : ""}`,
    );
    for (const p of this.#pending.values()) p.reject(why);
    this.#pending.clear();
    for (const listener of this.#closeListeners) listener(err);
  }
}

function unavailable(path: string, why: string): DevflowError {
  return new DevflowError(
    "RUNTIME_CONTROL_UNAVAILABLE",
    `no running DevFlow answers on ${path} (${why})`,
  );
}
