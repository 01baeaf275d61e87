/**
 * Classification accuracy on a labelled set: five generated project histories (a TypeScript web
 * app, a Python service, a Go CLI, a Java service, a TypeScript monorepo) stored in a real SQLite
 * database, classified from paths and line counts, and scored against the conventional types of
 * their messages. The seed differs from the ones used while writing the rules. The prediction
 * must not change when the messages are removed.
 */
import { describe, expect, it } from "vitest";
import type { CommitInput } from "@devflow/storage";
import {
  ACTIVITY_CATEGORIES,
  type ClassificationReport,
  commitsReport,
  evaluateClassification,
} from "../../src/index.js";
import { type GeneratedHistory, generateLabelledHistories } from "@devflow/test-utils";
import { workStorage } from "@devflow/test-utils/work";

const HELD_OUT_SEED = 20_251_127;

function toInputs(
  projectId: string,
  history: GeneratedHistory,
  withMessages: boolean,
): CommitInput[] {
  let parent: string | undefined;
  return history.commits.map((c) => {
    const input: CommitInput = {
      projectId,
      hash: c.hash,
      parents: parent ? (c.isMerge ? [parent, parent.replace(/^./, "f")] : [parent]) : [],
      authorName: c.author.name,
      authorEmail: c.author.email,
      authoredAt: c.authoredAt,
      message: withMessages ? c.message : null,
      conventionalType: withMessages ? c.type : null,
      isMerge: c.isMerge,
      files: c.files,
    };
    parent = c.hash;
    return input;
  });
}

function table(report: ClassificationReport): string {
  const pct = (v: number | null) => (v === null ? "  –  " : `${(100 * v).toFixed(1).padStart(5)}`);
  const rows = ACTIVITY_CATEGORIES.map((c) => {
    const s = report.perClass[c];
    return `| ${c.padEnd(9)} | ${String(s.support).padStart(7)} | ${pct(s.precision)} % | ${pct(s.recall)} % | ${pct(s.f1)} % |`;
  });
  return [
    `accuracy ${(100 * report.accuracy).toFixed(1)} % (${report.correct}/${report.total}), macro-F1 ${(100 * report.macroF1).toFixed(1)} %`,
    "| category  | support | precision | recall  | F1      |",
    ...rows,
  ].join("\n");
}

describe("classification accuracy on generated histories", () => {
  it("classifies at least 2,000 labelled commits without their messages", () => {
    const histories = generateLabelledHistories({
      projects: 5,
      perProject: 480,
      seed: HELD_OUT_SEED,
    });
    const { storage, project } = workStorage();
    const bare = storage.projects.add({ name: "bare", rootPath: `${project.rootPath}-bare` });
    const projects = histories.map((h, i) =>
      i === 0
        ? project
        : storage.projects.add({
            name: h.archetype,
            rootPath: `${project.rootPath}-${h.archetype}`,
          }),
    );
    histories.forEach((h, i) => {
      storage.commits.insertMany(toInputs(projects[i]!.id, h, true));
    });
    const rows = histories.flatMap(
      (_h, i) =>
        commitsReport(storage, projects[i]!.id, { from: 0, to: Date.UTC(2100, 0) }).commits,
    );
    const labelled = rows.filter((r) => r.conventionalCategory !== null);
    expect(rows.length).toBe(histories.reduce((n, h) => n + h.commits.length, 0));
    expect(labelled.length).toBeGreaterThanOrEqual(2000);

    // One project's own agreement report, then the pooled report over all five projects.
    const single = commitsReport(storage, projects[0]!.id, {
      from: 0,
      to: Date.UTC(2100, 0),
    }).agreement;
    expect(single.total).toBeGreaterThan(300);
    const report = evaluateClassification(
      labelled.map((r) => ({ label: r.conventionalCategory, predicted: r.category })),
    );
    console.log(
      `\n${labelled.length} labelled of ${rows.length} commits (seed ${HELD_OUT_SEED})\n${table(report)}`,
    );
    expect(report.accuracy).toBeGreaterThanOrEqual(0.7);
    expect(report.macroF1).toBeGreaterThanOrEqual(0.7);
    for (const c of ACTIVITY_CATEGORIES) expect(report.perClass[c].support).toBeGreaterThan(20);

    // The same first history without messages or types gives the same predictions.
    storage.commits.insertMany(toInputs(bare.id, histories[0]!, false));
    const withMessages = commitsReport(storage, projects[0]!.id, {
      from: 0,
      to: Date.UTC(2100, 0),
    }).commits;
    const without = commitsReport(storage, bare.id, { from: 0, to: Date.UTC(2100, 0) }).commits;
    expect(without.every((r) => r.conventionalType === null)).toBe(true);
    expect(without.map((r) => [r.hash, r.category, r.confidence])).toEqual(
      withMessages.map((r) => [r.hash, r.category, r.confidence]),
    );
  }, 60_000);
});
