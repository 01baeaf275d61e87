import { isDevflowError } from "@devflow/events";
import { describe, expect, it } from "vitest";
import { parseIstanbulSummary, parseJUnitXml, parseLcov } from "../src/perf/reports.js";

/** Runs `fn`, expecting a MONITORS_BAD_REPORT error; returns its message. */
function badReport(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(isDevflowError(err)).toBe(true);
    if (!isDevflowError(err)) throw err;
    expect(err.code).toBe("MONITORS_BAD_REPORT");
    return err.message;
  }
  throw new Error("expected MONITORS_BAD_REPORT");
}

describe("parseJUnitXml", () => {
  it("uses the <testsuites> totals (vitest style), failures + errors = failed", () => {
    const xml = `<?xml version="1.0" encoding="UTF-8" ?>
<testsuites name="vitest tests" tests="7" failures="2" errors="1" skipped="1" time="1.234">
  <testsuite name="a.test.ts" tests="4" failures="1" errors="0" skipped="1" time="0.5">
    <testcase name="ok"/><testcase name="bad"><failure message="x">boom &lt;1&gt;</failure></testcase>
    <testcase name="skip"><skipped/></testcase><testcase name="ok2"/>
  </testsuite>
  <testsuite name="b.test.ts" tests="3" failures="1" errors="1" time="0.7">
    <testcase name="f"><failure/></testcase><testcase name="e"><error/></testcase><testcase name="ok"/>
  </testsuite>
</testsuites>`;
    expect(parseJUnitXml(xml, "junit.xml")).toEqual({
      tests: 7,
      passed: 3,
      failed: 3,
      skipped: 1,
      durationMs: 1234,
      name: "vitest tests",
    });
  });

  it("sums suites when the root has no totals, and counts test cases of a bare suite", () => {
    const xml = `<testsuites>
  <testsuite name="pytest" tests="5" failures="1" errors="0" skipped="2" time="2.5"/>
  <testsuite name="bare">
    <testcase name="a"/><testcase name="b"><failure/></testcase>
    <testcase name="c"><error/><failure/></testcase><testcase name="d"><skipped/></testcase>
  </testsuite>
</testsuites>`;
    expect(parseJUnitXml(xml)).toEqual({
      tests: 9,
      passed: 3,
      failed: 3,
      skipped: 3,
      durationMs: 2500,
    });
  });

  it("reads a single <testsuite> root (surefire, pytest)", () => {
    const xml = `<?xml version="1.0"?>
<testsuite name="pytest" errors="0" failures="0" skipped="0" tests="12" time="1,002.5"
  timestamp="2026-01-01T00:00:00" hostname="h"><testcase classname="t" name="x" time="0.1"/></testsuite>`;
    expect(parseJUnitXml(xml)).toEqual({
      tests: 12,
      passed: 12,
      failed: 0,
      skipped: 0,
      durationMs: 1_002_500,
      name: "pytest",
    });
  });

  it("rejects malformed reports with the file and the problem", () => {
    expect(badReport(() => parseJUnitXml("", "r/junit.xml"))).toBe(
      "bad JUnit XML report r/junit.xml: the file is empty",
    );
    expect(badReport(() => parseJUnitXml("<testsuites><testsuite>", "junit.xml"))).toMatch(
      /^bad JUnit XML report junit\.xml: not well-formed XML at line 1, column \d+: /,
    );
    expect(badReport(() => parseJUnitXml("<html><body/></html>", "junit.xml"))).toBe(
      "bad JUnit XML report junit.xml: no <testsuites> or <testsuite> root element",
    );
    expect(badReport(() => parseJUnitXml('<testsuite name="s" tests="three"/>', "a.xml"))).toBe(
      'bad JUnit XML report a.xml: tests="three" on <testsuite name="s"> is not a non-negative integer',
    );
    expect(badReport(() => parseJUnitXml('<testsuites tests="1" failures="2"/>', "a.xml"))).toBe(
      "bad JUnit XML report a.xml: failures + errors + skipped (2) exceed tests (1) on <testsuites>",
    );
    expect(badReport(() => parseJUnitXml('<testsuite tests="1" time="soon"/>', "a.xml"))).toBe(
      'bad JUnit XML report a.xml: time="soon" on <testsuite>',
    );
  });
});

describe("parseLcov", () => {
  it("sums LF/LH, BRF/BRH, FNF/FNH over records", () => {
    const text = [
      "TN:",
      "SF:src/a.ts",
      "FN:1,f",
      "FNF:4",
      "FNH:3",
      "DA:1,1",
      "LF:10",
      "LH:8",
      "BRF:4",
      "BRH:1",
      "end_of_record",
      "SF:src/b.ts",
      "FNF:1",
      "FNH:1",
      "LF:30",
      "LH:21",
      "BRF:0",
      "BRH:0",
      "end_of_record",
      "",
    ].join("\n");
    expect(parseLcov(text)).toEqual({ lines: 72.5, branches: 25, functions: 80, files: 2 });
  });

  it("counts DA/BRDA/FNDA lines when a record has no totals", () => {
    const text = [
      "SF:src/c.py",
      "DA:1,3",
      "DA:2,0",
      "DA:3,1",
      "BRDA:2,0,0,1",
      "BRDA:2,0,1,-",
      "BRDA:5,0,0,0",
      "FNDA:0,g",
      "end_of_record",
    ].join("\r\n");
    expect(parseLcov(text)).toEqual({ lines: 66.67, branches: 33.33, functions: 0, files: 1 });
  });

  it("rejects malformed lcov with the line and the problem", () => {
    expect(badReport(() => parseLcov("", "coverage/lcov.info"))).toBe(
      "bad lcov report coverage/lcov.info: no coverage records (SF: … end_of_record)",
    );
    expect(badReport(() => parseLcov("SF:a\nLF:ten\nend_of_record", "lcov.info"))).toBe(
      'bad lcov report lcov.info: line 2: LF must be a non-negative integer, got "ten"',
    );
    expect(badReport(() => parseLcov("SF:a\nthis is not lcov\n", "lcov.info"))).toBe(
      'bad lcov report lcov.info: line 2: expected KEY:VALUE or end_of_record, got "this is not lcov"',
    );
    expect(badReport(() => parseLcov("SF:a\nLF:2\nLH:3\nend_of_record", "lcov.info"))).toBe(
      "bad lcov report lcov.info: record a: lines hit (3) exceed found (2)",
    );
    expect(badReport(() => parseLcov("LF:2\n", "lcov.info"))).toBe(
      "bad lcov report lcov.info: line 1: LF before any SF: record",
    );
  });
});

describe("parseIstanbulSummary", () => {
  it("reads the total percentages; Unknown leaves a metric out", () => {
    const metric = (total: number, covered: number, pct: number | string) => ({
      total,
      covered,
      skipped: 0,
      pct,
    });
    const text = JSON.stringify({
      total: {
        lines: metric(200, 171, 85.5),
        statements: metric(210, 178, 84.76),
        functions: metric(0, 0, "Unknown"),
        branches: metric(40, 25, 62.5),
        branchesTrue: metric(0, 0, 100),
      },
      "/p/src/a.ts": { lines: metric(200, 171, 85.5) },
      "/p/src/b.ts": { lines: metric(0, 0, 100) },
    });
    expect(parseIstanbulSummary(text)).toEqual({
      lines: 85.5,
      statements: 84.76,
      branches: 62.5,
      files: 2,
    });
  });

  it("rejects malformed summaries with the file and the field", () => {
    expect(badReport(() => parseIstanbulSummary("{", "coverage/coverage-summary.json"))).toMatch(
      /^bad istanbul coverage summary coverage\/coverage-summary\.json: not valid JSON: /,
    );
    expect(badReport(() => parseIstanbulSummary("{}", "s.json"))).toMatch(
      /^bad istanbul coverage summary s\.json: total: /,
    );
    expect(
      badReport(() =>
        parseIstanbulSummary(
          JSON.stringify({ total: { lines: { total: 1, covered: 1, pct: 140 } } }),
          "s.json",
        ),
      ),
    ).toMatch(/^bad istanbul coverage summary s\.json: total\.lines\.pct: /);
    expect(badReport(() => parseIstanbulSummary('{"total":{}}', "s.json"))).toBe(
      "bad istanbul coverage summary s.json: total has none of lines, statements, functions, branches",
    );
  });
});
