/**
 * The one project resolver over real projects in real temp dirs and a real SQLite file:
 * id → exact name → path (deepest root wins), the allowlist, and errors listing the choices.
 * Regression of issue 12: project "vue" with express and vue registered answered for express
 * (the name was read as a path inside express, which has a folder called `vue`).
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isDevflowError } from "@devflow/events";
import {
  canonicalPath,
  looksLikePath,
  openStorage,
  type Project,
  resolveProjectRef,
  type Storage,
} from "../src/index.js";

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0).reverse()) fn();
});

function setup(): { dir: string; storage: Storage; express: Project; vue: Project } {
  const dir = canonicalPath(mkdtempSync(join(tmpdir(), "devflow-resolver-")));
  mkdirSync(join(dir, "express", "vue", "src"), { recursive: true });
  mkdirSync(join(dir, "vue", "src"), { recursive: true });
  const storage = openStorage({ path: join(dir, "devflow.db") });
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanup.push(() => storage.close());
  const express = storage.projects.add({ name: "express", rootPath: join(dir, "express") });
  const vue = storage.projects.add({ name: "vue", rootPath: join(dir, "vue") });
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

describe("resolveProjectRef", () => {
  it('regression issue 12: project "vue" with express (holding a vue folder) and vue registered → vue', () => {
    const { dir, storage, express, vue } = setup();
    const cwd = process.cwd();
    process.chdir(join(dir, "express"));
    cleanup.push(() => process.chdir(cwd));
    const list = storage.projects.list();
    expect(resolveProjectRef(list, "vue", { canonical: canonicalPath }).id).toBe(vue.id);
    // the folder is still reachable as a path
    expect(resolveProjectRef(list, "./vue", { canonical: canonicalPath }).id).toBe(express.id);
    expect(resolveProjectRef(list, "vue/src", { canonical: canonicalPath }).id).toBe(express.id);
    expect(resolveProjectRef(list, "express").id).toBe(express.id);
  });

  it("takes ids first, then names, and the deepest root containing a path", () => {
    const { dir, storage, express, vue } = setup();
    const inner = storage.projects.add({ name: "inner", rootPath: join(dir, "express", "vue") });
    const list = storage.projects.list();
    expect(resolveProjectRef(list, vue.id).id).toBe(vue.id);
    expect(resolveProjectRef(list, ` ${express.id} `).id).toBe(express.id);
    expect(resolveProjectRef(list, join(dir, "express", "vue", "src", "a.ts")).id).toBe(inner.id);
    expect(resolveProjectRef(list, join(dir, "express", "README.md")).id).toBe(express.id);
    expect(resolveProjectRef(list, join(dir, "vue")).id).toBe(vue.id);
    // a sibling with the same prefix is not inside
    expect(failure(() => resolveProjectRef(list, join(dir, "vue-evil"))).code).toBe(
      "STORAGE_UNKNOWN_PROJECT",
    );
  });

  it("resolves symlinks on both sides and ~ to the home directory", () => {
    const { dir, storage, vue } = setup();
    symlinkSync(join(dir, "vue"), join(dir, "link"));
    const list = storage.projects.list();
    expect(resolveProjectRef(list, join(dir, "link", "src"), { canonical: canonicalPath }).id).toBe(
      vue.id,
    );
    expect(resolveProjectRef(list, "~/src", { home: join(dir, "vue") }).id).toBe(vue.id);
    expect(looksLikePath("~")).toBe(true);
    expect(looksLikePath("vue")).toBe(false);
    expect(looksLikePath("my-app.v2")).toBe(false);
    expect(looksLikePath("a/b")).toBe(true);
    expect(looksLikePath(".")).toBe(true);
    expect(homedir()).not.toBe("");
  });

  it("refuses an unknown name listing the choices as id (name, root)", () => {
    const { dir, storage, express, vue } = setup();
    const { code, message } = failure(() =>
      resolveProjectRef(storage.projects.list(), "react", { hint: "see `devflow project list`" }),
    );
    expect(code).toBe("STORAGE_UNKNOWN_PROJECT");
    expect(message).toContain('no registered project is "react"');
    expect(message).toContain(`${express.id} (express, ${join(dir, "express")})`);
    expect(message).toContain(`${vue.id} (vue, ${join(dir, "vue")})`);
    expect(message).toContain("see `devflow project list`");
  });

  it("refuses an ambiguous name (two projects named app) listing both", () => {
    const { dir, storage, express } = setup();
    mkdirSync(join(dir, "a1"));
    mkdirSync(join(dir, "a2"));
    const a1 = storage.projects.add({ name: "app", rootPath: join(dir, "a1") });
    const a2 = storage.projects.add({ name: "app", rootPath: join(dir, "a2") });
    const { code, message } = failure(() => resolveProjectRef(storage.projects.list(), "app"));
    expect(code).toBe("STORAGE_AMBIGUOUS_PROJECT");
    expect(message).toContain('2 projects are named "app"');
    expect(message).toContain(`${a1.id} (app, ${join(dir, "a1")})`);
    expect(message).toContain(`${a2.id} (app, ${join(dir, "a2")})`);
    expect(message).not.toContain(express.id);
    // an id still picks one of them
    expect(resolveProjectRef(storage.projects.list(), a2.id).id).toBe(a2.id);
  });

  it("with nothing named: the only project, else an error listing the choices", () => {
    const { storage, express } = setup();
    const list = storage.projects.list();
    expect(resolveProjectRef([express], undefined).id).toBe(express.id);
    expect(failure(() => resolveProjectRef(list, undefined)).code).toBe(
      "STORAGE_AMBIGUOUS_PROJECT",
    );
    expect(failure(() => resolveProjectRef([], undefined))).toMatchObject({
      code: "STORAGE_UNKNOWN_PROJECT",
      message: expect.stringContaining("none is registered") as string,
    });
  });

  it("only picks allowed projects and lists at most 20 choices", () => {
    const { dir, storage, express } = setup();
    const allow = (root: string) => root === join(dir, "express");
    const list = storage.projects.list();
    expect(resolveProjectRef(list, undefined, { allow }).id).toBe(express.id);
    const { message } = failure(() => resolveProjectRef(list, "vue", { allow }));
    expect(message).not.toContain("(vue,");
    const many: Project[] = Array.from({ length: 25 }, (_, i) => ({
      ...express,
      id: `id-${i}`,
      name: `p${i}`,
      rootPath: join(dir, `p${i}`),
    }));
    const long = failure(() => resolveProjectRef(many, "nope")).message;
    expect(long).toContain("id-19 (p19");
    expect(long).not.toContain("id-20 (");
    expect(long).toContain("and 5 more");
  });
});
