/**
 * `resolveProject`, the CLI's face of storage's one project resolver, over a real SQLite file
 * and real temp dirs. Regression of issue 12: project "vue" with express (which holds a folder
 * named `vue`) and vue registered must answer for vue, from anywhere.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDevflowError } from "@devflow/events";
import { canonicalPath, openStorage } from "@devflow/storage";
import { afterEach, describe, expect, it } from "vitest";
import { ensureProject, resolveProject } from "../src/index.js";

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0).reverse()) fn();
});

function setup() {
  const dir = canonicalPath(mkdtempSync(join(tmpdir(), "devflow-runtime-projects-")));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, "express", "vue"), { recursive: true });
  mkdirSync(join(dir, "vue"));
  const storage = openStorage({ path: join(dir, "devflow.db") });
  cleanup.push(() => storage.close());
  const express = ensureProject(storage, join(dir, "express")).project;
  const vue = ensureProject(storage, join(dir, "vue")).project;
  const cwd = process.cwd();
  process.chdir(join(dir, "express"));
  cleanup.push(() => process.chdir(cwd));
  return { dir, storage, express, vue };
}

function failure(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (isDevflowError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error("expected an error");
}

describe("resolveProject", () => {
  it('regression issue 12: "vue" is the project named vue, even inside express', () => {
    const { storage, express, vue } = setup();
    expect(resolveProject(storage, "vue").id).toBe(vue.id);
    expect(resolveProject(storage, "./vue").id).toBe(express.id);
    expect(resolveProject(storage, process.cwd()).id).toBe(express.id);
    expect(resolveProject(storage, vue.id).id).toBe(vue.id);
  });

  it("an unknown name lists the choices; an ambiguous one lists both", () => {
    const { dir, storage, express, vue } = setup();
    const unknown = failure(() => resolveProject(storage, "nope"));
    expect(unknown.code).toBe("STORAGE_UNKNOWN_PROJECT");
    expect(unknown.message).toMatch(/^no registered project is "nope"/);
    expect(unknown.message).toContain(`${express.id} (express, ${join(dir, "express")})`);
    expect(unknown.message).toContain(`${vue.id} (vue, ${join(dir, "vue")})`);
    expect(unknown.message).toContain("devflow project list");
    mkdirSync(join(dir, "one", "app"), { recursive: true });
    mkdirSync(join(dir, "two", "app"), { recursive: true });
    const a1 = ensureProject(storage, join(dir, "one", "app")).project;
    const a2 = ensureProject(storage, join(dir, "two", "app")).project;
    const ambiguous = failure(() => resolveProject(storage, "app"));
    expect(ambiguous.code).toBe("STORAGE_AMBIGUOUS_PROJECT");
    expect(ambiguous.message).toContain(`${a1.id} (app, ${join(dir, "one", "app")})`);
    expect(ambiguous.message).toContain(`${a2.id} (app, ${join(dir, "two", "app")})`);
    expect(failure(() => resolveProject(storage, join(dir, "elsewhere"))).code).toBe(
      "STORAGE_UNKNOWN_PROJECT",
    );
  });
});
