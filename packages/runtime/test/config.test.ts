import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isDevflowError } from "@devflow/events";
import { loadConfig } from "../src/config.js";

function tempHome(config?: unknown): string {
  const home = mkdtempSync(join(tmpdir(), "devflow-config-"));
  if (config !== undefined)
    writeFileSync(
      join(home, "config.json"),
      typeof config === "string" ? config : JSON.stringify(config),
    );
  return home;
}

function errorOf(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    if (isDevflowError(err)) return err;
    throw err;
  }
  throw new Error("expected an error");
}

describe("loadConfig", () => {
  it("defaults DEVFLOW_HOME to ~/.devflow and the database to <home>/devflow.db", () => {
    const user = mkdtempSync(join(tmpdir(), "devflow-user-"));
    const config = loadConfig({ env: {}, userHome: user });
    expect(config.home).toBe(join(user, ".devflow"));
    expect(config.storage.path).toBe(join(user, ".devflow", "devflow.db"));
    expect(config.engine.batchSize).toBe(100);
    expect(config.engine.maxWaitMs).toBe(5000);
    expect(config.storage.synchronous).toBe("FULL");
    expect(config.storage.retentionDays).toBe(30);
  });

  it("layers file < environment < overrides", () => {
    const home = tempHome({
      engine: { batchSize: 10, maxWaitMs: 100 },
      storage: { retentionDays: 7 },
    });
    const config = loadConfig({
      env: { DEVFLOW_HOME: home, DEVFLOW_BATCH_SIZE: "20", DEVFLOW_RETENTION_DAYS: "14" },
      overrides: { engine: { batchSize: 30 } },
    });
    expect(config.engine.batchSize).toBe(30);
    expect(config.engine.maxWaitMs).toBe(100);
    expect(config.storage.retentionDays).toBe(14);
    expect(config.home).toBe(home);
  });

  it("resolves a relative database path against the home", () => {
    const home = tempHome({ storage: { path: "data/x.db" } });
    expect(loadConfig({ env: { DEVFLOW_HOME: home } }).storage.path).toBe(
      join(home, "data", "x.db"),
    );
  });

  it("reports every problem as path: message with its origin", () => {
    const home = tempHome({ engine: { batchSize: 0 }, storage: { synchronous: "SOMETIMES" } });
    const err = errorOf(() =>
      loadConfig({ env: { DEVFLOW_HOME: home, DEVFLOW_BATCH_MAX_WAIT_MS: "soon" } }),
    );
    expect(err.code).toBe("CONFIG_INVALID");
    expect(err.message).toMatch(/engine\.batchSize: .*\(from .*config\.json\)/);
    expect(err.message).toMatch(/storage\.synchronous: /);
    expect(err.message).toMatch(/engine\.maxWaitMs: .*\(from DEVFLOW_BATCH_MAX_WAIT_MS\)/);
  });

  it("rejects unknown keys by name", () => {
    const home = tempHome({ engine: { batchsize: 5 } });
    const err = errorOf(() => loadConfig({ env: { DEVFLOW_HOME: home } }));
    expect(err.message).toMatch(/engine: .*batchsize/);
  });

  it("names the file when it is not valid JSON", () => {
    const home = tempHome("{ nope");
    const err = errorOf(() => loadConfig({ env: { DEVFLOW_HOME: home } }));
    expect(err.code).toBe("CONFIG_UNREADABLE");
    expect(err.message).toContain(join(home, "config.json"));
  });

  it("rejects a config file that is not an object", () => {
    const home = tempHome("[1,2]");
    mkdirSync(join(home, "run"), { recursive: true });
    expect(errorOf(() => loadConfig({ env: { DEVFLOW_HOME: home } })).message).toMatch(
      /JSON object/,
    );
  });
});
