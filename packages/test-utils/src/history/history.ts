/**
 * A generator of labelled commit histories that imitate real projects: each commit is written
 * the way developers write that kind of change (a feature adds modules and often tests, a fix
 * edits a few lines and sometimes a test, a release bumps versions and changelogs, …), with the
 * ambiguous cases real histories have (fixes in CI files, docs in code comments, small
 * features, refactors that extract new files, chores that delete code, …). Files keep their
 * real line contents, so the same history can be written to git with fast-import and its
 * numstat equals the generated counts. The label is the category of the conventional type in
 * the message; the classifier under test never sees the message.
 */
import { type Archetype, ARCHETYPES, moduleName } from "./archetypes.js";
import { behaviours, type CommitKind } from "./behaviours.js";

/** One changed file of a generated commit. */
export interface GeneratedFile {
  path: string;
  insertions: number | null;
  deletions: number | null;
}

/** One generated commit. */
export interface GeneratedCommit {
  hash: string;
  authoredAt: number;
  author: { name: string; email: string };
  message: string;
  /** The conventional type written into the message (`null` for prose and merges). */
  type: string | null;
  scope: string | null;
  isMerge: boolean;
  files: GeneratedFile[];
  /** New contents (lines) of changed files, `null` for deleted ones, `Buffer` for binary. */
  contents: Map<string, string[] | Buffer | null>;
}

/** A generated project history. */
export interface GeneratedHistory {
  archetype: string;
  commits: GeneratedCommit[];
}

/** A seeded PRNG (mulberry32). */
export class Rng {
  #s: number;
  constructor(seed: number) {
    this.#s = seed >>> 0;
  }
  next(): number {
    this.#s = (this.#s + 0x6d2b79f5) >>> 0;
    let t = this.#s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** An integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  /** Log-normal-ish size with the given median, clipped to [lo, hi]. */
  size(median: number, lo: number, hi: number): number {
    const u = Math.max(1e-9, this.next());
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
    return Math.max(lo, Math.min(hi, Math.round(median * Math.exp(0.8 * z))));
  }
  /** Picks a key of `weights` with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as Array<[K, number]>;
    let r = this.next() * entries.reduce((n, [, w]) => n + w, 0);
    for (const [k, w] of entries) {
      r -= w;
      if (r <= 0) return k;
    }
    return entries[entries.length - 1]![0];
  }
}

/** The working tree while generating: file → line ids (or binary). */
export class Tree {
  readonly files = new Map<string, number[] | "binary">();
  #line = 0;
  /** Contents before the first change of the current commit (`undefined`: did not exist). */
  #before = new Map<string, number[] | "binary" | undefined>();
  readonly rng: Rng;
  readonly arch: Archetype;

  constructor(arch: Archetype, rng: Rng) {
    this.arch = arch;
    this.rng = rng;
  }

  #touch(path: string): void {
    if (this.#before.has(path)) return;
    const now = this.files.get(path);
    this.#before.set(path, Array.isArray(now) ? [...now] : now);
  }

  /** Creates (or overwrites) a text file with `lines` new lines. */
  create(path: string, lines: number): void {
    this.#touch(path);
    this.files.set(
      path,
      Array.from({ length: Math.max(1, lines) }, () => ++this.#line),
    );
  }

  /** Adds `ins` lines at random places and removes `del` random lines (the file is created if missing). */
  edit(path: string, ins: number, del: number): void {
    const lines = this.files.get(path);
    if (lines === "binary") return this.binary(path);
    if (!lines) return this.create(path, ins + del);
    this.#touch(path);
    const removed = Math.min(del, Math.max(0, lines.length - 1));
    for (let i = 0; i < removed; i++) lines.splice(this.rng.int(lines.length), 1);
    for (let i = 0; i < ins; i++) lines.splice(this.rng.int(lines.length + 1), 0, ++this.#line);
  }

  /** Writes a binary file (design files, images). */
  binary(path: string): void {
    this.#touch(path);
    this.files.set(path, "binary");
    this.#binaryVersion.set(path, (this.#binaryVersion.get(path) ?? 0) + 1);
  }

  readonly #binaryVersion = new Map<string, number>();

  remove(path: string): void {
    if (!this.files.has(path)) return;
    this.#touch(path);
    this.files.delete(path);
  }

  /** Moves a file, editing `touch` lines on the way. */
  move(from: string, to: string, touch = 0): void {
    const lines = this.files.get(from);
    if (!Array.isArray(lines) || this.files.has(to)) return;
    this.remove(from);
    this.#touch(to);
    this.files.set(to, [...lines]);
    if (touch > 0) this.edit(to, touch, touch);
  }

  /** Existing files matching `filter`. */
  existing(filter: (path: string) => boolean): string[] {
    return [...this.files.keys()].filter(filter);
  }

  /** An existing source file (creating a module first when there is none). */
  someSource(): string {
    const all = this.existing((p) => this.isSource(p));
    return all.length > 0 ? this.rng.pick(all) : this.newModulePath();
  }

  isSource(path: string): boolean {
    return this.arch.sourceDirs.some((d) => path.startsWith(`${d.dir}/`)) && !this.isTest(path);
  }

  isTest(path: string): boolean {
    return /(\.test\.|_test\.|\/tests?\/|Test\.java$)/.test(path);
  }

  /** A path for a new module in one of the source directories. */
  newModulePath(): string {
    for (;;) {
      const { dir, ext } = this.rng.pick(this.arch.sourceDirs);
      const name = moduleName(ext === "java" || ext === "tsx" ? "pascal" : this.arch.naming, (n) =>
        this.rng.int(n),
      );
      const path = `${dir}/${name}.${ext}`;
      if (!this.files.has(path)) return path;
    }
  }

  /**
   * The changes since the last call, as git's numstat will see them (line ids are unique, so
   * added lines are the ids only the new version has), with the contents to write.
   */
  flush(): { files: GeneratedFile[]; contents: GeneratedCommit["contents"] } {
    const files: GeneratedFile[] = [];
    const contents: GeneratedCommit["contents"] = new Map();
    for (const [path, before] of [...this.#before].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const now = this.files.get(path);
      if (before === "binary" || now === "binary") {
        files.push({ path, insertions: null, deletions: null });
        contents.set(
          path,
          now === "binary"
            ? Buffer.from(`\0binary ${path} v${this.#binaryVersion.get(path)}\0`)
            : null,
        );
        continue;
      }
      const old = new Set(before ?? []);
      const cur = new Set(now ?? []);
      let insertions = 0;
      let deletions = 0;
      for (const id of cur) if (!old.has(id)) insertions++;
      for (const id of old) if (!cur.has(id)) deletions++;
      if (insertions === 0 && deletions === 0) continue;
      files.push({ path, insertions, deletions });
      contents.set(path, now === undefined ? null : now.map((id) => `line ${id}`));
    }
    this.#before = new Map();
    return { files, contents };
  }
}

/** How often each kind of commit occurs (shares of conventional commits in real projects). */
const KIND_WEIGHTS: Readonly<Record<CommitKind, number>> = {
  feat: 27,
  fix: 25,
  docs: 9,
  chore: 9,
  deps: 5,
  ci: 3,
  build: 2,
  refactor: 7,
  style: 1,
  perf: 1.5,
  test: 5,
  release: 3,
  design: 2,
  plan: 1.5,
};

const hex = (n: number, seed: number): string =>
  ((BigInt(n + 1) * 0x9e3779b97f4a7c15n + BigInt(seed)) & ((1n << 160n) - 1n))
    .toString(16)
    .padStart(40, "0");

/**
 * Generates `commits` commits of one project of archetype `arch` (an index into
 * {@link ARCHETYPES} or a name). About 8 % of commits have prose messages and 3 % are merges,
 * both unlabelled.
 */
export function generateProjectHistory(options: {
  archetype: number;
  commits: number;
  seed: number;
  start?: number;
}): GeneratedHistory {
  const arch = ARCHETYPES[options.archetype % ARCHETYPES.length]!;
  const rng = new Rng(options.seed);
  const tree = new Tree(arch, rng);
  const authors = Array.from({ length: rng.range(2, 7) }, (_, i) => ({
    name: `Dev ${options.seed}-${i}`,
    email: `dev${i}@${arch.name}.example`,
  }));
  const commits: GeneratedCommit[] = [];
  let t = options.start ?? Date.UTC(2024, 0, 1);
  const push = (
    message: string,
    type: string | null,
    scope: string | null,
    isMerge = false,
  ): void => {
    const { files, contents } = tree.flush();
    if (files.length === 0 && !isMerge) return;
    t += rng.range(5, 60 * 24) * 60_000;
    commits.push({
      hash: hex(commits.length, options.seed),
      authoredAt: t,
      author: rng.pick(authors),
      message,
      type,
      scope,
      isMerge,
      files,
      contents,
    });
  };
  // A scaffold commit: a few modules, docs, manifests and CI, as `git init` projects begin.
  for (let i = 0; i < 4; i++) tree.create(tree.newModulePath(), rng.size(60, 10, 300));
  for (const f of [
    ...arch.docs.slice(0, 1),
    ...arch.manifests,
    ...arch.lockfiles,
    ...arch.configs.slice(0, 2),
    ...arch.registries,
  ]) {
    tree.create(f, rng.size(40, 5, 200));
  }
  push("chore: initial commit", "chore", null);
  let pr = 1;
  while (commits.length < options.commits) {
    if (rng.chance(0.03)) {
      push(`Merge pull request #${pr++} from team/branch-${pr}`, null, null, true);
      continue;
    }
    const kind = rng.weighted(KIND_WEIGHTS);
    const { type, scope, subject } = behaviours[kind](tree);
    const prose = rng.chance(0.08);
    const message = prose
      ? `${subject[0]!.toUpperCase()}${subject.slice(1)}`
      : `${type}${scope ? `(${scope})` : ""}: ${subject}`;
    push(message, prose ? null : type, prose ? null : scope);
  }
  return { archetype: arch.name, commits };
}

/**
 * A labelled set from several projects, one per archetype in turn, `perProject` commits each.
 */
export function generateLabelledHistories(options: {
  projects: number;
  perProject: number;
  seed: number;
}): GeneratedHistory[] {
  return Array.from({ length: options.projects }, (_, i) =>
    generateProjectHistory({
      archetype: i,
      commits: options.perProject,
      seed: options.seed + i * 7919,
    }),
  );
}
