/**
 * `devflow mcp install`: writes or updates DevFlow's entry in Claude Desktop's config file,
 * backing up the previous file first. Other servers and settings in the file are kept as they
 * are; a file that is not valid JSON is refused, never overwritten.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { DevflowError } from "@devflow/events";

/** Where Claude Desktop keeps its config on this platform. */
export function claudeDesktopConfigPath(
  platform: NodeJS.Platform = process.platform,
  env: Readonly<Record<string, string | undefined>> = process.env,
  home: string = homedir(),
): string {
  if (platform === "darwin") {
    return join(home, "Library", "Application Support", "Claude", "claude_desktop_config.json");
  }
  if (platform === "win32") {
    return join(
      env["APPDATA"] ?? join(home, "AppData", "Roaming"),
      "Claude",
      "claude_desktop_config.json",
    );
  }
  return join(
    env["XDG_CONFIG_HOME"] ?? join(home, ".config"),
    "Claude",
    "claude_desktop_config.json",
  );
}

/** The server entry written under `mcpServers`. */
export interface ClaudeServerEntry {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** What {@link installClaudeDesktop} did. */
export interface InstallResult {
  path: string;
  /** The backup of the previous file, or null when there was none. */
  backup: string | null;
  name: string;
  entry: ClaudeServerEntry;
  /** The entry that was replaced, if any. */
  previous: unknown;
}

/** Options of {@link installClaudeDesktop}. */
export interface InstallClaudeDesktopOptions {
  /** The config file (default {@link claudeDesktopConfigPath}). */
  path?: string;
  /** The server name under `mcpServers` (default `devflow`). */
  name?: string;
  /** For the backup's time stamp (default now). */
  now?: Date;
}

/**
 * Writes `mcpServers[name] = entry` into the config at `path` (default: Claude Desktop's),
 * backing up the previous file; other servers and settings are kept.
 *
 * @throws DevflowError `RUNTIME_BAD_CLAUDE_CONFIG` when the file is not a JSON object (nothing
 * is changed then).
 */
export function installClaudeDesktop(
  entry: ClaudeServerEntry,
  options: InstallClaudeDesktopOptions = {},
): InstallResult {
  const path = options.path ?? claudeDesktopConfigPath();
  const name = options.name ?? "devflow";
  let config: Record<string, unknown> = {};
  let backup: string | null = null;
  if (existsSync(path)) {
    const text = readFileSync(path, "utf8");
    try {
      const parsed: unknown = text.trim() === "" ? {} : JSON.parse(text);
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
        throw new DevflowError("RUNTIME_BAD_CLAUDE_CONFIG", "not an object");
      config = parsed as Record<string, unknown>;
    } catch {
      throw new DevflowError(
        "RUNTIME_BAD_CLAUDE_CONFIG",
        `${path} is not a JSON object; fix or move it, then run the install again (nothing was changed).`,
      );
    }
    const stamp = (options.now ?? new Date())
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\..*/, "");
    backup = `${path}.bak-${stamp}`;
    copyFileSync(path, backup);
  }
  const servers =
    config["mcpServers"] !== null &&
    typeof config["mcpServers"] === "object" &&
    !Array.isArray(config["mcpServers"])
      ? { ...(config["mcpServers"] as Record<string, unknown>) }
      : {};
  const previous = servers[name] ?? null;
  servers[name] = entry;
  const next = { ...config, mcpServers: servers };
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`);
  renameSync(tmp, path);
  return { path, backup, name, entry, previous };
}
