// Repositories: events queries, hourly counts (raw vs rollups), projects, settings, commits.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fileEvent, HOUR, MINUTE, openTemp, spreadEvents, T0, tempDir } from "./helpers.js";
import { openStorage } from "../src/index.js";

describe("events repository", () => {
  it("filters by time, types and project, orders by (timestamp, id) and pages with a cursor", () => {
    const storage = openTemp();
    const events = [
      fileEvent({ id: "e3", timestamp: T0 + 2000 }),
      fileEvent({ id: "e1", timestamp: T0 }),
      fileEvent({ id: "e2b", timestamp: T0 + 1000, type: "file.created" }),
      fileEvent({ id: "e2a", timestamp: T0 + 1000, projectId: "p2" }),
      fileEvent({ id: "e4", timestamp: T0 + 3000, projectId: undefined }),
    ];
    storage.events.insertBatch(events);
    const ids = (list: Array<{ id: string }>): string[] => list.map((e) => e.id);
    expect(ids(storage.events.query())).toEqual(["e1", "e2a", "e2b", "e3", "e4"]);
    expect(ids(storage.events.query({ from: T0 + 1000, to: T0 + 3000 }))).toEqual([
      "e2a",
      "e2b",
      "e3",
    ]);
    expect(ids(storage.events.query({ types: ["file.created"] }))).toEqual(["e2b"]);
    expect(ids(storage.events.query({ projectId: "p1" }))).toEqual(["e1", "e2b", "e3"]);
    expect(ids(storage.events.query({ projectId: "" }))).toEqual(["e4"]);
    const page1 = storage.events.query({ limit: 2 });
    const last = page1[1]!;
    const page2 = storage.events.query({
      limit: 2,
      after: { timestamp: last.timestamp, id: last.id },
    });
    expect(ids(page1)).toEqual(["e1", "e2a"]);
    expect(ids(page2)).toEqual(["e2b", "e3"]);
    expect(storage.events.count()).toBe(5);
    expect(storage.events.count({ projectId: "p1", from: T0 + 1 })).toBe(2);
    expect(() => storage.events.query({ limit: 0 })).toThrow(
      expect.objectContaining({ code: "STORAGE_BAD_ARGUMENT" }),
    );
  });

  it("returns the stored event exactly as validated", () => {
    const storage = openTemp();
    const event = fileEvent({
      duration: 12.5,
      metadata: { host: "laptop", tags: ["a"] },
      correlationId: "c1",
      parentId: "p0",
    });
    storage.events.insertBatch([event]);
    expect(storage.events.get(event.id)).toEqual(event);
    expect(storage.events.get("missing")).toBeUndefined();
  });

  it("counts by type per hour identically from raw events and from the 1h rollups", () => {
    const storage = openTemp({ synchronous: "NORMAL" });
    const events = spreadEvents(2000, 4);
    for (let i = 0; i < events.length; i += 500) storage.sink.write(events.slice(i, i + 500));
    const range = { from: T0 + 5 * HOUR, to: T0 + 70 * HOUR };
    const raw = storage.events.countByTypePerHour(range);
    expect(raw.length).toBeGreaterThan(100);
    expect(storage.rollups.countByTypePerHour(range)).toEqual(raw);
    const p2 = { ...range, projectId: "p2" };
    expect(storage.rollups.countByTypePerHour(p2)).toEqual(storage.events.countByTypePerHour(p2));
    expect(raw.reduce((n, r) => n + r.count, 0)).toBe(storage.events.count(range));
  });

  it("counts whole hours from rollups when the bounds are not hour-aligned", () => {
    const storage = openTemp();
    storage.sink.write([
      fileEvent({ timestamp: T0 + 10 * MINUTE }),
      fileEvent({ timestamp: T0 + 50 * MINUTE }),
    ]);
    const range = { from: T0 + 30 * MINUTE, to: T0 + 40 * MINUTE };
    expect(storage.events.countByTypePerHour(range)).toEqual([]);
    expect(storage.rollups.countByTypePerHour(range)).toEqual([
      { type: "file.changed", hourStart: T0, count: 2 },
    ]);
  });

  it("filters rollup series by bucket, project and types", () => {
    const storage = openTemp();
    storage.sink.write([
      fileEvent({ timestamp: T0 + 1 }),
      fileEvent({ timestamp: T0 + 6 * MINUTE, type: "file.created" }),
      fileEvent({ timestamp: T0 + 7 * MINUTE, projectId: "p2" }),
    ]);
    const series = storage.rollups.series({
      bucket: "5m",
      from: T0,
      to: T0 + HOUR,
      projectId: "p1",
      types: ["file.created"],
    });
    expect(series).toEqual([
      {
        bucketStart: T0 + 5 * MINUTE,
        projectId: "p1",
        type: "file.created",
        count: 1,
        durationMs: 0,
      },
    ]);
    expect(storage.rollups.series({ bucket: "1h", from: T0, to: T0 + HOUR })).toHaveLength(3);
    expect(() => storage.rollups.series({ bucket: "2h" as "1h", from: T0, to: T0 + HOUR })).toThrow(
      /bucket must be one of/,
    );
  });
});

describe("projects repository", () => {
  it("adds, lists, gets by id or root path, and removes", () => {
    const storage = openTemp();
    const root = join(tempDir(), "repo");
    const a = storage.projects.add({ name: "alpha", rootPath: `${root}/` });
    const b = storage.projects.add({ name: "beta", rootPath: `${root}-b` });
    expect(a.rootPath).toBe(root);
    expect(a.id < b.id).toBe(true); // time-ordered ids
    expect(storage.projects.list().map((p) => p.name)).toEqual(["alpha", "beta"]);
    expect(storage.projects.get(a.id)).toEqual(a);
    expect(storage.projects.get(root)).toEqual(a);
    expect(storage.projects.get("nope")).toBeUndefined();
    expect(storage.projects.remove(a.id)).toBe(true);
    expect(storage.projects.remove(a.id)).toBe(false);
    expect(storage.projects.list().map((p) => p.id)).toEqual([b.id]);
  });

  it("rejects a second project on the same root path with STORAGE_CONFLICT", () => {
    const storage = openTemp();
    const root = join(tempDir(), "repo");
    const first = storage.projects.add({ name: "one", rootPath: root });
    expect(() => storage.projects.add({ name: "two", rootPath: root })).toThrow(
      expect.objectContaining({
        code: "STORAGE_CONFLICT",
        message: expect.stringContaining(first.id),
      }),
    );
    expect(storage.projects.list()).toHaveLength(1);
    expect(() => storage.projects.add({ name: " ", rootPath: root })).toThrow(
      expect.objectContaining({ code: "STORAGE_BAD_ARGUMENT" }),
    );
  });
});

describe("settings repository", () => {
  it("stores, replaces and deletes JSON values, surviving a reopen", () => {
    const path = join(tempDir(), "s.db");
    const storage = openStorage({ path });
    storage.settings.set("theme", { dark: true, accents: ["blue"] });
    storage.settings.set("limit", 5);
    storage.settings.set("limit", 7);
    storage.settings.set("nothing", null);
    storage.close();
    const again = openStorage({ path });
    expect(again.settings.get("theme")).toEqual({ dark: true, accents: ["blue"] });
    expect(again.settings.get("limit")).toBe(7);
    expect(again.settings.get("nothing")).toBeNull();
    expect(again.settings.get("missing")).toBeUndefined();
    expect(again.settings.delete("limit")).toBe(true);
    expect(again.settings.delete("limit")).toBe(false);
    expect(again.settings.all()).toEqual({
      nothing: null,
      theme: { dark: true, accents: ["blue"] },
    });
    expect(() => again.settings.set("bad", undefined)).toThrow(
      expect.objectContaining({ code: "STORAGE_BAD_ARGUMENT" }),
    );
    again.close();
  });
});

describe("commits repository", () => {
  const commit = (hash: string, authoredAt: number) => ({
    projectId: "p1",
    hash,
    parents: ["aaaaaaa"],
    authorName: "Ada",
    authorEmail: "ada@example.com",
    authoredAt,
    message: "feat: x",
    conventionalType: "feat",
    trailers: [{ key: "Co-authored-by", value: "Bob <b@example.com>" }],
    files: [
      { path: "src/a.ts", insertions: 3, deletions: 1 },
      { path: "logo.png", insertions: null, deletions: null },
    ],
  });

  it("inserts commits with their files idempotently on (project, hash)", () => {
    const storage = openTemp();
    expect(
      storage.commits.insertMany([commit("bbbbbbb", T0), commit("ccccccc", T0 + 1000)]),
    ).toEqual({ inserted: 2, skipped: 0 });
    expect(
      storage.commits.insertMany([commit("ccccccc", T0 + 1000), commit("ddddddd", T0 + 500)]),
    ).toEqual({ inserted: 1, skipped: 1 });
    expect(storage.commits.count("p1")).toBe(3);
    expect(storage.commits.count("p2")).toBe(0);
    const latest = storage.commits.latest("p1");
    expect(latest).toMatchObject({
      hash: "ccccccc",
      committedAt: T0 + 1000,
      isMerge: false,
      filesChanged: 2,
      insertions: 3,
      deletions: 1,
      trailers: [{ key: "Co-authored-by", value: "Bob <b@example.com>" }],
    });
    expect(latest?.files).toEqual([
      { path: "logo.png", insertions: null, deletions: null },
      { path: "src/a.ts", insertions: 3, deletions: 1 },
    ]);
    expect(storage.commits.latest("p2")).toBeUndefined();
    expect(storage.integrityCheck()).toEqual({ ok: true, problems: [] });
  });

  it("validates every commit before storing any, naming the field", () => {
    const storage = openTemp();
    const bad = { ...commit("eeeeeee", T0), hash: "not-a-hash" };
    expect(() => storage.commits.insertMany([commit("fffffff", T0), bad])).toThrow(
      /commits\[1\]\.hash: must be a hex commit hash/,
    );
    expect(storage.commits.count("p1")).toBe(0);
  });
});
