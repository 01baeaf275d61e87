import { DevflowError } from "@devflow/events";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { z } from "zod";

/** Test totals of a JUnit XML report. */
export interface JUnitSummary {
  tests: number;
  passed: number;
  /** Failures plus errors. */
  failed: number;
  skipped: number;
  /** The report's `time`, when given (ms). */
  durationMs?: number;
  /** The `name` of the root element, which often names the tool (`vitest tests`, `pytest`). */
  name?: string;
}

/** Coverage percentages (0–100, two decimals); a metric without data is absent. */
export interface CoverageSummary {
  lines?: number;
  branches?: number;
  functions?: number;
  statements?: number;
  /** How many source files the report covers. */
  files: number;
}

/** Report formats PerfMonitor reads. */
export type ReportFormat = "junit" | "lcov" | "istanbul";

const FORMAT_NAMES: Record<ReportFormat, string> = {
  junit: "JUnit XML report",
  lcov: "lcov report",
  istanbul: "istanbul coverage summary",
};

/** The `MONITORS_BAD_REPORT` error, naming the file and what is wrong with it. */
export function badReport(format: ReportFormat, file: string, problem: string): DevflowError {
  return new DevflowError(
    "MONITORS_BAD_REPORT",
    `bad ${FORMAT_NAMES[format]} ${file}: ${problem}`,
    {
      data: { file, format, problem },
    },
  );
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const pct = (hit: number, found: number) => (found > 0 ? round2((hit / found) * 100) : undefined);

type XmlNode = Record<string, unknown>;
/** An attribute's text (attributes are parsed as strings), or `undefined` when absent. */
const attr = (node: XmlNode, name: string): string | undefined => {
  const v = node[`@_${name}`];
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
};
const asNodes = (v: unknown): XmlNode[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((n) =>
    typeof n === "object" && n !== null ? (n as XmlNode) : {},
  );

interface Totals {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  timeMs?: number;
}

/**
 * Parses a JUnit XML report (`<testsuites>` or a single `<testsuite>` root). Totals come from
 * the `tests`/`failures`/`errors`/`skipped` attributes, the root's first, else summed over the
 * suites; a suite without them is counted from its `<testcase>` children. `failed` is
 * failures + errors.
 *
 * @throws {@link DevflowError} `MONITORS_BAD_REPORT` naming `file` and the problem (not XML,
 *   no suite root, a count that is not a non-negative integer, counts exceeding `tests`).
 */
export function parseJUnitXml(xml: string, file = "<junit>"): JUnitSummary {
  const bad = (problem: string) => badReport("junit", file, problem);
  if (xml.trim() === "") throw bad("the file is empty");
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw bad(`not well-formed XML at line ${line}, column ${col}: ${msg}`);
  }
  let doc: XmlNode;
  try {
    doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: "@_",
      parseAttributeValue: false,
      parseTagValue: false,
      processEntities: false,
      isArray: (name) => name === "testsuite" || name === "testcase",
    }).parse(xml) as XmlNode;
  } catch (err) {
    throw bad(`cannot parse XML: ${err instanceof Error ? err.message : String(err)}`);
  }
  const rootName = "testsuites" in doc ? "testsuites" : "testsuite" in doc ? "testsuite" : null;
  if (rootName === null) throw bad("no <testsuites> or <testsuite> root element");
  const roots = asNodes(doc[rootName]);
  if (roots.length !== 1) throw bad(`expected one <${rootName}> root element`);
  const root = roots[0]!;

  const count = (node: XmlNode, name: string, where: string): number | undefined => {
    const text = attr(node, name)?.trim();
    if (text === undefined) return undefined;
    if (!/^\d+$/.test(text)) {
      throw bad(`${name}="${text}" on ${where} is not a non-negative integer`);
    }
    return Number(text);
  };
  const seconds = (node: XmlNode, where: string): number | undefined => {
    const raw = attr(node, "time");
    if (raw === undefined || raw.trim() === "") return undefined;
    const value = Number(raw.replaceAll(",", ""));
    if (!Number.isFinite(value) || value < 0) throw bad(`time="${raw}" on ${where}`);
    return Math.round(value * 1000);
  };
  const describe = (node: XmlNode, tag: string) => {
    const name = attr(node, "name");
    return name === undefined ? `<${tag}>` : `<${tag} name="${name}">`;
  };

  /** Totals of a suite: its attributes where present, else counted from its children. */
  const suiteTotals = (suite: XmlNode, tag: string, depth: number): Totals => {
    if (depth > 32) throw bad("test suites nested too deeply");
    const where = describe(suite, tag);
    const counted: Totals = { tests: 0, failures: 0, errors: 0, skipped: 0 };
    let childTime: number | undefined;
    for (const child of asNodes(suite.testsuite)) {
      const t = suiteTotals(child, "testsuite", depth + 1);
      counted.tests += t.tests;
      counted.failures += t.failures;
      counted.errors += t.errors;
      counted.skipped += t.skipped;
      if (t.timeMs !== undefined) childTime = (childTime ?? 0) + t.timeMs;
    }
    for (const tc of asNodes(suite.testcase)) {
      counted.tests++;
      if ("failure" in tc) counted.failures++;
      else if ("error" in tc) counted.errors++;
      else if ("skipped" in tc) counted.skipped++;
    }
    const totals: Totals = {
      tests: count(suite, "tests", where) ?? counted.tests,
      failures: count(suite, "failures", where) ?? counted.failures,
      errors: count(suite, "errors", where) ?? counted.errors,
      skipped: count(suite, "skipped", where) ?? counted.skipped,
      timeMs: seconds(suite, where) ?? childTime,
    };
    const notPassed = totals.failures + totals.errors + totals.skipped;
    if (notPassed > totals.tests) {
      throw bad(
        `failures + errors + skipped (${notPassed}) exceed tests (${totals.tests}) on ${where}`,
      );
    }
    return totals;
  };

  const totals = suiteTotals(root, rootName, 0);
  const suites = asNodes(root.testsuite);
  const name = attr(root, "name") ?? (suites.length === 1 ? attr(suites[0]!, "name") : undefined);
  return {
    tests: totals.tests,
    passed: totals.tests - totals.failures - totals.errors - totals.skipped,
    failed: totals.failures + totals.errors,
    skipped: totals.skipped,
    ...(totals.timeMs === undefined ? {} : { durationMs: totals.timeMs }),
    ...(name === undefined ? {} : { name }),
  };
}

interface LcovCounts {
  found: number;
  hit: number;
}

/**
 * Parses an lcov tracefile (`lcov.info`): sums `LF`/`LH`, `BRF`/`BRH` and `FNF`/`FNH` over
 * its records (falling back to counting `DA`, `BRDA` and `FNDA` lines when a record lacks the
 * totals). Statements are not part of lcov.
 *
 * @throws {@link DevflowError} `MONITORS_BAD_REPORT` naming `file`, the line and the problem.
 */
export function parseLcov(text: string, file = "lcov.info"): CoverageSummary {
  const bad = (problem: string) => badReport("lcov", file, problem);
  const total = { lines: zero(), branches: zero(), functions: zero() };
  let records = 0;
  let record: LcovRecord | null = null;
  const close = () => {
    if (record === null) return;
    for (const metric of ["lines", "branches", "functions"] as const) {
      const c = record.counts(metric);
      if (c.hit > c.found) {
        throw bad(`record ${record.source}: ${metric} hit (${c.hit}) exceed found (${c.found})`);
      }
      total[metric].found += c.found;
      total[metric].hit += c.hit;
    }
    records++;
    record = null;
  };
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === "") continue;
    if (line === "end_of_record") {
      if (record === null) throw bad(`line ${index + 1}: end_of_record without a record`);
      close();
      continue;
    }
    const m = /^([A-Z]+):(.*)$/.exec(line);
    if (!m) {
      throw bad(
        `line ${index + 1}: expected KEY:VALUE or end_of_record, got "${line.slice(0, 60)}"`,
      );
    }
    const [, key, value] = m as unknown as [string, string, string];
    if (key === "SF") {
      close();
      record = new LcovRecord(value);
      continue;
    }
    if (key === "TN" || key === "VER") continue;
    if (record === null) throw bad(`line ${index + 1}: ${key} before any SF: record`);
    const problem = record.add(key, value);
    if (problem !== null) throw bad(`line ${index + 1}: ${problem}`);
  }
  close();
  if (records === 0) throw bad("no coverage records (SF: … end_of_record)");
  return {
    ...defined("lines", pct(total.lines.hit, total.lines.found)),
    ...defined("branches", pct(total.branches.hit, total.branches.found)),
    ...defined("functions", pct(total.functions.hit, total.functions.found)),
    files: records,
  };
}

function zero(): LcovCounts {
  return { found: 0, hit: 0 };
}

function defined<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return (value === undefined ? {} : { [key]: value }) as Partial<Record<K, number>>;
}

const TOTAL_KEYS: Record<string, [metric: "lines" | "branches" | "functions", "found" | "hit"]> = {
  LF: ["lines", "found"],
  LH: ["lines", "hit"],
  BRF: ["branches", "found"],
  BRH: ["branches", "hit"],
  FNF: ["functions", "found"],
  FNH: ["functions", "hit"],
};

/** One `SF:` … `end_of_record` block. */
class LcovRecord {
  readonly declared = { lines: {}, branches: {}, functions: {} } as Record<
    "lines" | "branches" | "functions",
    Partial<LcovCounts>
  >;
  readonly detail = { lines: zero(), branches: zero(), functions: zero() };

  constructor(readonly source: string) {}

  /** Records one line; returns a problem or `null`. */
  add(key: string, value: string): string | null {
    const total = TOTAL_KEYS[key];
    if (total) {
      if (!/^\d+$/.test(value)) return `${key} must be a non-negative integer, got "${value}"`;
      this.declared[total[0]][total[1]] = Number(value);
      return null;
    }
    const parts = value.split(",");
    if (key === "DA" || key === "FNDA") {
      const hits = key === "DA" ? parts[1] : parts[0];
      if (hits === undefined || !/^-?\d+$/.test(hits)) return `${key}:${value} has no hit count`;
      const counts = this.detail[key === "DA" ? "lines" : "functions"];
      counts.found++;
      if (Number(hits) > 0) counts.hit++;
    } else if (key === "BRDA") {
      const taken = parts[3];
      if (taken === undefined) return `BRDA:${value} has no taken count`;
      this.detail.branches.found++;
      if (taken !== "-" && Number(taken) > 0) this.detail.branches.hit++;
    }
    return null;
  }

  /** The record's counts: declared totals, else counted from detail lines. */
  counts(metric: "lines" | "branches" | "functions"): LcovCounts {
    const d = this.declared[metric];
    return { found: d.found ?? this.detail[metric].found, hit: d.hit ?? this.detail[metric].hit };
  }
}

const IstanbulMetric = z.object({
  total: z.number().int().nonnegative(),
  covered: z.number().int().nonnegative(),
  pct: z.union([z.number().min(0).max(100), z.literal("Unknown")]),
});
const IstanbulSummary = z
  .object({
    total: z.object({
      lines: IstanbulMetric.optional(),
      statements: IstanbulMetric.optional(),
      functions: IstanbulMetric.optional(),
      branches: IstanbulMetric.optional(),
    }),
  })
  .loose();

/**
 * Parses an istanbul `json-summary` report (`coverage-summary.json`): the percentages of its
 * `total` entry. A `pct` of `"Unknown"` (nothing to cover) leaves the metric out.
 *
 * @throws {@link DevflowError} `MONITORS_BAD_REPORT` naming `file` and the bad field.
 */
export function parseIstanbulSummary(
  text: string,
  file = "coverage-summary.json",
): CoverageSummary {
  const bad = (problem: string) => badReport("istanbul", file, problem);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw bad(`not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = IstanbulSummary.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.length > 0 ? issue.path.join(".") : "the document";
    throw bad(`${at}: ${issue.message}`);
  }
  const { total } = parsed.data;
  const metrics = ["lines", "statements", "functions", "branches"] as const;
  if (metrics.every((m) => total[m] === undefined)) {
    throw bad("total has none of lines, statements, functions, branches");
  }
  const out: CoverageSummary = { files: Object.keys(parsed.data).length - 1 };
  for (const m of metrics) {
    const value = total[m]?.pct;
    if (typeof value === "number") out[m] = round2(value);
  }
  return out;
}
