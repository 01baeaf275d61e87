import type { DevflowEvent, EventOf } from "@devflow/events";
import { detectLanguage } from "../language.js";

/** The `data` of an `activity.heartbeat`. */
export type HeartbeatData = EventOf<"activity.heartbeat">["data"];

const TEST_PATHS = [
  /(^|[\\/])(test|tests|__tests__|spec|specs|e2e)[\\/]/,
  /\.(test|spec|e2e)\.[^\\/.]+$/,
  /(^|[\\/])test_[^\\/]+\.py$/,
  /_test\.(go|py|rb|exs?)$/,
  /[A-Za-z0-9](Test|Tests|Spec)\.(java|kt|scala|cs|swift)$/,
];

/** True for test files: test directories, `*.test.*`/`*.spec.*`, `test_*.py`, `*_test.go`, … */
export function isTestPath(path: string): boolean {
  return TEST_PATHS.some((re) => re.test(path));
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** The data field naming the branch (or tag) a git event concerns, by type. */
const GIT_ENTITY_FIELD: Record<string, string> = {
  "git.branch_switched": "to",
  "git.merge": "into",
  "git.tag": "tag",
};

/**
 * The heartbeat a monitor event stands for, or `null` when it is no sign of the user working:
 * file changes are `coding` (`testing` for test files) with the file's language and relative
 * path; git events are `vcs` with the branch; builds are `building` and test runs `testing`
 * with the tool; AI-assistant events are `ai` with the file or the assistant. Commits found by
 * a history import and AI attribution (derived, not live) are not signals.
 */
export function heartbeatOf(event: DevflowEvent): HeartbeatData | null {
  const d = event.data as Record<string, unknown>;
  const category = event.type.slice(0, event.type.indexOf("."));
  if (category === "file") {
    const path = str(d.path);
    if (path === undefined) return null;
    const language = str(d.language) ?? detectLanguage(path);
    return {
      category: isTestPath(path) ? "testing" : "coding",
      ...(language === undefined ? {} : { language }),
      entity: path,
    };
  }
  if (category === "git") {
    if (d.imported === true) return null;
    const entity = str(d[GIT_ENTITY_FIELD[event.type] ?? "branch"]);
    return { category: "vcs", ...(entity === undefined ? {} : { entity }) };
  }
  if (category === "build") {
    return { category: d.kind === "test" ? "testing" : "building", entity: String(d.tool) };
  }
  if (category === "test") return { category: "testing", entity: String(d.tool) };
  if (category === "ai" && event.type !== "ai.commit_attributed") {
    const path = str(d.path);
    const language = path === undefined ? undefined : detectLanguage(path);
    return {
      category: "ai",
      ...(language === undefined ? {} : { language }),
      entity: path ?? String(d.tool),
    };
  }
  return null;
}
