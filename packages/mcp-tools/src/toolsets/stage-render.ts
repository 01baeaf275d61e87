/** The text renderings of `analyze_stage` and `check_methodology` (what the command line prints). */

/** `at` ISO → `YYYY-MM-DD HH:MM:SS UTC`. */
function when(at: string | null): string {
  return at === null ? "—" : `${at.slice(0, 10)} ${at.slice(11, 19)} UTC`;
}

const periodText = (p: { from: string; to: string }) =>
  Date.parse(p.from) === 0 ? `up to ${when(p.to)}` : `${when(p.from)} – ${when(p.to)}`;

/** Minutes for people: `45 min`, `3.5 h`, `2.1 d`. */
function duration(minutes: number): string {
  if (minutes < 60) return `${Math.round(minutes)} min`;
  if (minutes < 48 * 60) return `${(minutes / 60).toFixed(1)} h`;
  return `${(minutes / 1440).toFixed(1)} d`;
}

interface StageAnswer {
  projectName: string;
  period: { from: string; to: string };
  current: {
    stage: string | null;
    subStage: string | null;
    since: string | null;
    confidence: number;
    evidence: { type: string; timestamp: string; subject: string; rules: string[] }[];
  };
  transitions: {
    at: string;
    fromStage: string | null;
    toStage: string;
    subStage: string | null;
    confidence: number;
  }[];
  timeInStage: { key: string; minutes: number; share: number; activeMinutes: number }[];
  analysedEvents: number;
  newTransitions: number;
}

/** The stage now with its evidence, the transitions in the period and the time per stage. */
export function renderStage(r: StageAnswer): string {
  const c = r.current;
  const lines: string[] = [];
  if (c.stage === null) {
    lines.push(`${r.projectName}: no stage yet (no stage evidence among the stored events).`);
  } else {
    const sub = c.subStage ? ` / ${c.subStage}` : "";
    lines.push(
      `${r.projectName}: ${c.stage}${sub} since ${when(c.since)}, confidence ${c.confidence.toFixed(2)}`,
    );
    if (c.evidence.length > 0) lines.push("Evidence:");
    for (const e of c.evidence.slice(0, 6)) {
      lines.push(`  ${e.rules[0] ?? ""}  ${e.subject}  (${e.type}, ${when(e.timestamp)})`);
    }
  }
  lines.push(
    `Analysed ${r.analysedEvents} new events, ${r.newTransitions} new transitions.`,
    `Period: ${periodText(r.period)}`,
  );
  if (r.transitions.length === 0) lines.push("No transitions in the period.");
  else lines.push("Transitions:");
  for (const t of r.transitions) {
    const sub = t.subStage ? ` / ${t.subStage}` : "";
    lines.push(
      `  ${when(t.at)}  ${t.fromStage ?? "(start)"} → ${t.toStage}${sub}  (confidence ${t.confidence.toFixed(2)})`,
    );
  }
  if (r.timeInStage.length > 0) lines.push("Time per stage:");
  for (const s of r.timeInStage) {
    lines.push(
      `  ${s.key}  ${duration(s.minutes)}  ${Math.round(s.share * 100)} %  active ${duration(s.activeMinutes)}`,
    );
  }
  return lines.join("\n");
}

interface MethodologyAnswer {
  period: { from: string; to: string };
  fileEvents: number;
  commits: number;
  scores: {
    methodology: string;
    score: number;
    level: string;
    summary: string;
    evidence: string[];
  }[];
  activity: Record<string, { fileEvents: number; commits: number }>;
}

/** Each methodology's score and level with its first evidence, and the activity per category. */
export function renderMethodology(r: MethodologyAnswer): string {
  const lines = [
    `methodologies, ${periodText(r.period)} (${r.fileEvents} file events, ${r.commits} commits)`,
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
