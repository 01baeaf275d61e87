import type {
  BottleneckUpdate,
  CommitsReport,
  MethodologyReport,
  MetricsReport,
  MetricValue,
  StageReport,
} from "@devflow/analyzers";
import type { Project } from "@devflow/storage";
import { formatTime } from "../context.js";

/** A duration for people: `45 min`, `3.5 h`, `2.1 d`. */
function duration(ms: number): string {
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 2 * 86_400_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
}

const pct = (share: number) => `${Math.round(share * 100)} %`;
const periodText = (p: { from: number; to: number }) =>
  p.from === 0 ? `up to ${formatTime(p.to)}` : `${formatTime(p.from)} – ${formatTime(p.to)}`;

/** Pads columns of a small table to equal widths. */
function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join("  ")
      .trimEnd(),
  );
}

/** `devflow analyze stage` as text. */
export function renderStage(project: Project, r: StageReport, analysed: number): string {
  const c = r.current;
  const lines: string[] = [];
  if (c.stage === null) {
    lines.push(`${project.name}: no stage yet (no stage evidence among the stored events).`);
  } else {
    const sub = c.subStage ? ` / ${c.subStage}` : "";
    lines.push(
      `${project.name}: ${c.stage}${sub} since ${formatTime(c.since)}, confidence ${c.confidence.toFixed(2)}`,
    );
    if (c.evidence.length > 0) {
      lines.push("Evidence:");
      for (const e of c.evidence.slice(0, 6)) {
        lines.push(`  ${e.rules[0] ?? ""}  ${e.subject}  (${e.type}, ${formatTime(e.timestamp)})`);
      }
    }
  }
  lines.push(`Analysed ${analysed} new events.`, `Period: ${periodText(r.period)}`);
  if (r.transitions.length > 0) {
    lines.push("Transitions:");
    for (const t of r.transitions) {
      const sub = t.subStage ? ` / ${t.subStage}` : "";
      lines.push(
        `  ${formatTime(t.timestamp)}  ${t.fromStage ?? "(start)"} → ${t.toStage}${sub}  (confidence ${t.confidence.toFixed(2)})`,
      );
    }
  } else {
    lines.push("No transitions in the period.");
  }
  if (r.timeInStage.length > 0) {
    lines.push("Time per stage:");
    lines.push(
      ...table(
        r.timeInStage.map((s) => [
          `  ${s.key}`,
          duration(s.ms),
          pct(s.share),
          `active ${duration(s.activeMs)}`,
        ]),
      ),
    );
  }
  return lines.join("\n");
}

/** `devflow analyze methodology` as text. */
export function renderMethodology(project: Project, r: MethodologyReport): string {
  const lines = [
    `${project.name}: methodologies, ${periodText(r.period)} (${r.fileEvents} file events, ${r.commits} commits)`,
  ];
  const kinds = Object.entries(r.activity)
    .filter(([, a]) => a.fileEvents + a.commits > 0)
    .sort((a, b) => b[1].fileEvents + b[1].commits - (a[1].fileEvents + a[1].commits))
    .map(([category, a]) => `${category} ${a.fileEvents}/${a.commits}`);
  if (kinds.length > 0) lines.push(`Activity (file events/commits): ${kinds.join(", ")}`);
  for (const s of r.scores) {
    lines.push(
      `${s.methodology.toUpperCase().padEnd(4)} ${String(s.score).padStart(3)}/100  ${s.level}: ${s.summary}`,
    );
    for (const e of s.evidence.slice(0, 3)) lines.push(`       ${e}`);
  }
  return lines.join("\n");
}

/** `devflow analyze bottlenecks` as text. */
export function renderBottlenecks(project: Project, u: BottleneckUpdate): string {
  const lines = [`${project.name}: bottlenecks at ${formatTime(u.at)}`];
  if (u.findings.length === 0) lines.push("None found.");
  for (const f of u.findings) {
    lines.push(`${f.severity.toUpperCase()} ${f.kind} (${f.type}): ${f.subject}`);
    lines.push(`  impact: ${f.impact}`);
    for (const e of f.evidence) lines.push(`  evidence: ${e}`);
    lines.push(`  suggestion: ${f.suggestion}`);
  }
  lines.push(
    `${u.opened.length} newly opened, ${u.resolved.length} resolved since the last check.`,
  );
  for (const r of u.resolved) lines.push(`  resolved: ${r.kind} ${r.subject}`);
  return lines.join("\n");
}

function metricValue(m: MetricValue, value: number | null): string {
  if (value === null) return "–";
  if (m.unit === "ms") return duration(value);
  if (m.unit === "%") return `${value.toFixed(1)} %`;
  return String(Math.round(value * 100) / 100);
}

/** `devflow analyze metrics` as text. */
export function renderMetrics(project: Project, r: MetricsReport): string {
  const rows = [["metric", "value", "previous", "change", "trend"]];
  for (const m of r.metrics) {
    const change =
      m.changePercent !== null
        ? `${m.changePercent > 0 ? "+" : ""}${m.changePercent.toFixed(1)} %`
        : m.change !== null && m.change !== 0
          ? `${m.change > 0 ? "+" : ""}${metricValue(m, m.change)}`
          : "";
    const trend = m.trend === null ? "" : `${m.trend}${m.assessment ? ` (${m.assessment})` : ""}`;
    rows.push([m.name, metricValue(m, m.value), metricValue(m, m.previous), change, trend]);
  }
  return [
    `${project.name}: metrics ${periodText(r.period)}, against ${periodText(r.previous)}`,
    ...table(rows),
  ].join("\n");
}

/** `devflow analyze commits` as text. */
export function renderCommits(project: Project, r: CommitsReport): string {
  const rows = [["commit", "date", "category", "confidence", "conventional"]];
  for (const c of r.commits) {
    rows.push([
      c.hash.slice(0, 10),
      formatTime(c.authoredAt).slice(0, 10),
      c.isMerge && c.confidence === 0 ? "(merge)" : c.category,
      c.confidence.toFixed(2),
      c.conventionalType ?? "",
    ]);
  }
  const a = r.agreement;
  return [
    `${project.name}: ${r.commits.length} commits, ${periodText(r.period)}`,
    ...(r.commits.length > 0 ? table(rows) : []),
    a.total > 0
      ? `Agreement with conventional types: ${(100 * a.accuracy).toFixed(1)} % of ${a.total} commits (the prediction never reads the message).`
      : "No commits with a conventional type to compare with.",
  ].join("\n");
}
