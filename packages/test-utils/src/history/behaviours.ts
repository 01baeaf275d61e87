/**
 * How developers write each kind of commit, as mixtures of the habits seen in real histories,
 * ambiguous ones included. Each behaviour changes the generator's tree and returns the
 * conventional type, scope and subject of its message.
 */
import type { Tree } from "./history.js";

/** The kinds of commits the generator writes (`deps` is `chore(deps)`, `release` is `chore(release)`). */
export type CommitKind =
  | "feat"
  | "fix"
  | "docs"
  | "chore"
  | "deps"
  | "ci"
  | "build"
  | "refactor"
  | "style"
  | "perf"
  | "test"
  | "release"
  | "design"
  | "plan";

/** What a behaviour wrote into the message. */
interface MessageParts {
  type: string;
  scope: string | null;
  subject: string;
}

type Behaviour = (tree: Tree) => MessageParts;

const base = (path: string): string =>
  path.slice(path.lastIndexOf("/") + 1).replace(/\.[^.]+$/, "");

function newModule(tree: Tree, withTest: boolean): string {
  const path = tree.newModulePath();
  tree.create(path, tree.rng.size(70, 8, 600));
  if (withTest) tree.create(tree.arch.testOf(path), tree.rng.size(50, 8, 400));
  return path;
}

function editSource(tree: Tree, ins: number, del: number): string {
  const path = tree.someSource();
  tree.edit(path, ins, del);
  return path;
}

function touchTestOf(tree: Tree, source: string, ins: number, del: number): void {
  tree.edit(tree.arch.testOf(source), ins, del);
}

const feat: Behaviour = (tree) => {
  const { rng, arch } = tree;
  const mode = rng.weighted({ modules: 45, extend: 40, small: 15 });
  let main = "";
  if (mode === "modules") {
    const n = rng.chance(0.7) ? 1 : rng.range(2, 3);
    for (let i = 0; i < n; i++) main = newModule(tree, rng.chance(arch.testRatio));
    if (rng.chance(0.5)) tree.edit(rng.pick(arch.registries), rng.range(1, 6), rng.range(0, 1));
  } else if (mode === "extend") {
    const n = rng.range(1, 4);
    for (let i = 0; i < n; i++) {
      const ins = rng.size(35, 3, 400);
      main = editSource(tree, ins, rng.chance(0.6) ? rng.range(0, Math.ceil(ins / 4)) : 0);
    }
    if (rng.chance(0.5)) touchTestOf(tree, main, rng.size(25, 3, 200), rng.range(0, 5));
  } else {
    main = editSource(tree, rng.range(3, 20), rng.range(0, 6));
    if (rng.chance(0.3)) tree.edit(rng.pick(arch.appConfigs), rng.range(1, 5), rng.range(0, 1));
  }
  if (rng.chance(0.12)) tree.edit(rng.pick(arch.docs), rng.size(10, 2, 80), rng.range(0, 4));
  if (arch.changesetDir && rng.chance(0.4))
    tree.create(`${arch.changesetDir}/${base(main)}-${rng.int(1e6)}.md`, rng.range(4, 8));
  if (rng.chance(0.06)) tree.edit(arch.manifests[0] ?? arch.build[0]!, rng.range(1, 3), 0);
  return {
    type: "feat",
    scope: rng.chance(0.5) ? base(main) : null,
    subject: `add ${base(main)} support`,
  };
};

const fix: Behaviour = (tree) => {
  const { rng, arch } = tree;
  const mode = rng.weighted({ small: 62, medium: 20, nonCode: 9, docsOrTest: 6, deps: 3 });
  if (mode === "small") {
    const n = rng.chance(0.75) ? 1 : 2;
    let path = "";
    for (let i = 0; i < n; i++) path = editSource(tree, rng.range(1, 12), rng.range(1, 10));
    if (rng.chance(0.35)) touchTestOf(tree, path, rng.size(12, 3, 60), rng.range(0, 4));
    else if (rng.chance(0.1))
      tree.create(tree.arch.testOf(path).replace(/(\.\w+)$/, "-regression$1"), rng.size(25, 8, 80));
    return {
      type: "fix",
      scope: rng.chance(0.5) ? base(path) : null,
      subject: `handle empty ${base(path)}`,
    };
  }
  if (mode === "medium") {
    let path = "";
    for (let i = rng.range(2, 5); i > 0; i--)
      path = editSource(tree, rng.size(20, 4, 120), rng.size(15, 2, 90));
    if (rng.chance(0.4)) touchTestOf(tree, path, rng.size(20, 4, 100), rng.range(0, 10));
    return { type: "fix", scope: null, subject: `race in ${base(path)}` };
  }
  if (mode === "nonCode") {
    const file = rng.pick([...arch.ci, ...arch.build, ...arch.appConfigs]);
    tree.edit(file, rng.range(1, 8), rng.range(1, 6));
    return {
      type: "fix",
      scope: rng.pick(["ci", "build", "config", null]),
      subject: `broken ${base(file)}`,
    };
  }
  if (mode === "deps") {
    tree.edit(arch.manifests[0] ?? arch.build[0]!, 1, 1);
    if (arch.lockfiles[0]) tree.edit(arch.lockfiles[0], rng.size(30, 4, 300), rng.size(30, 4, 300));
    return { type: "fix", scope: "deps", subject: "bump vulnerable dependency" };
  }
  if (rng.chance(0.5)) {
    tree.edit(rng.pick(arch.docs), rng.range(1, 3), rng.range(1, 3));
    return { type: "fix", scope: "docs", subject: "typo" };
  }
  const tests = tree.existing((p) => tree.isTest(p));
  tree.edit(
    tests.length > 0 ? rng.pick(tests) : tree.arch.testOf(tree.someSource()),
    rng.range(1, 10),
    rng.range(1, 8),
  );
  return { type: "fix", scope: "test", subject: "flaky test" };
};

const docs: Behaviour = (tree) => {
  const { rng, arch } = tree;
  const mode = rng.weighted({ markdown: 75, comments: 12, examples: 8, site: 5 });
  if (mode === "markdown") {
    for (let i = rng.chance(0.7) ? 1 : rng.range(2, 3); i > 0; i--) {
      const file = rng.chance(0.2)
        ? `${arch.docsDir}/${base(tree.newModulePath())}.md`
        : rng.pick(arch.docs);
      tree.edit(file, rng.size(20, 2, 200), rng.range(0, 20));
    }
  } else if (mode === "comments") {
    for (let i = rng.range(1, 4); i > 0; i--) editSource(tree, rng.size(8, 2, 40), rng.range(0, 6));
  } else if (mode === "examples") {
    tree.create(
      `${arch.examplesDir ?? arch.docsDir}/${base(tree.newModulePath())}.${arch.sourceDirs[0]!.ext}`,
      rng.size(30, 8, 120),
    );
    tree.edit(rng.pick(arch.docs), rng.size(10, 2, 60), rng.range(0, 5));
  } else {
    tree.edit(`${arch.docsDir}/mkdocs.yml`, rng.range(1, 10), rng.range(0, 4));
  }
  return { type: "docs", scope: null, subject: "explain configuration" };
};

const refactor: Behaviour = (tree) => {
  const { rng, arch } = tree;
  const mode = rng.weighted({ move: 28, rewrite: 35, extract: 15, dead: 10, small: 12 });
  if (mode === "move") {
    for (let i = rng.range(1, 4); i > 0; i--) {
      const from = tree.someSource();
      const dir = rng.pick(arch.sourceDirs).dir;
      tree.move(from, `${dir}/${from.slice(from.lastIndexOf("/") + 1)}`, rng.range(0, 3));
    }
    for (let i = rng.range(1, 5); i > 0; i--) editSource(tree, rng.range(1, 4), rng.range(1, 4));
  } else if (mode === "rewrite") {
    for (let i = rng.range(2, 8); i > 0; i--) {
      const size = rng.size(20, 2, 150);
      editSource(tree, size, Math.round(size * (0.6 + rng.next())));
    }
  } else if (mode === "extract") {
    const size = rng.size(50, 15, 200);
    editSource(tree, rng.range(1, 5), size);
    tree.create(tree.newModulePath(), size + rng.range(2, 15));
  } else if (mode === "dead") {
    for (let i = rng.range(1, 3); i > 0; i--)
      editSource(tree, rng.range(0, 8), rng.size(40, 10, 300));
    if (rng.chance(0.3)) tree.remove(tree.someSource());
  } else {
    editSource(tree, rng.range(2, 15), rng.range(2, 15));
  }
  return { type: "refactor", scope: null, subject: "simplify internals" };
};

const style: Behaviour = (tree) => {
  for (let i = tree.rng.range(2, 10); i > 0; i--) {
    const n = tree.rng.range(1, 12);
    editSource(tree, n, n);
  }
  return { type: "style", scope: null, subject: "format" };
};

const perf: Behaviour = (tree) => {
  if (tree.rng.chance(0.6)) {
    for (let i = tree.rng.range(1, 3); i > 0; i--)
      editSource(tree, tree.rng.size(15, 2, 80), tree.rng.size(10, 1, 60));
  } else {
    newModule(tree, tree.rng.chance(0.4));
    editSource(tree, tree.rng.range(2, 10), tree.rng.range(1, 6));
  }
  return { type: "perf", scope: null, subject: "cache lookups" };
};

const test: Behaviour = (tree) => {
  const { rng, arch } = tree;
  const mode = rng.weighted({ newTests: 55, editTests: 30, withTweak: 10, fixtures: 5 });
  const source = tree.someSource();
  if (mode === "newTests") {
    tree.create(arch.testOf(source), rng.size(60, 10, 300));
    if (rng.chance(0.3)) tree.create(arch.testOf(tree.someSource()), rng.size(40, 10, 200));
  } else if (mode === "editTests") {
    touchTestOf(tree, source, rng.size(20, 3, 120), rng.range(0, 25));
  } else if (mode === "withTweak") {
    touchTestOf(tree, source, rng.size(40, 10, 200), rng.range(0, 10));
    tree.edit(source, rng.range(1, 3), rng.range(0, 2));
  } else {
    tree.create(`${arch.fixturesDir}/${base(source)}-${rng.int(1000)}.json`, rng.size(40, 5, 400));
  }
  return { type: "test", scope: null, subject: `cover ${base(source)}` };
};

const chore: Behaviour = (tree) => {
  const { rng, arch } = tree;
  const mode = rng.weighted({ tooling: 58, appConfig: 15, scripts: 15, cleanup: 12 });
  if (mode === "tooling") {
    for (let i = rng.chance(0.75) ? 1 : 2; i > 0; i--)
      tree.edit(rng.pick(arch.configs), rng.range(1, 15), rng.range(0, 8));
  } else if (mode === "appConfig") {
    tree.edit(rng.pick(arch.appConfigs), rng.range(1, 20), rng.range(0, 10));
  } else if (mode === "scripts") {
    if (rng.chance(0.5)) tree.edit(`${arch.scriptsDir}/dev.sh`, rng.range(2, 30), rng.range(0, 10));
    else tree.edit(arch.manifests[0] ?? arch.build[0]!, rng.range(1, 4), rng.range(0, 2));
  } else {
    const victims = tree.existing((p) => tree.isSource(p));
    if (victims.length > 3) tree.remove(rng.pick(victims));
    else tree.edit(rng.pick(arch.configs), 1, 1);
  }
  return { type: "chore", scope: null, subject: "tidy up tooling" };
};

const deps: Behaviour = (tree) => {
  const { rng, arch } = tree;
  if (arch.manifests.length === 0) {
    tree.edit(arch.build[0]!, rng.range(1, 4), rng.range(1, 4));
  } else {
    tree.edit(rng.pick(arch.manifests), rng.range(1, 3), rng.range(1, 3));
    if (arch.lockfiles[0] && rng.chance(0.9))
      tree.edit(arch.lockfiles[0], rng.size(40, 4, 900), rng.size(30, 2, 700));
  }
  return { type: "chore", scope: "deps", subject: "bump dependencies" };
};

const ci: Behaviour = (tree) => {
  const { rng, arch } = tree;
  const file = rng.chance(0.85)
    ? rng.pick(arch.ci)
    : `.github/workflows/${rng.pick(["lint", "nightly", "codeql"])}.yml`;
  tree.edit(file, rng.size(8, 1, 80), rng.range(0, 10));
  return { type: "ci", scope: null, subject: "cache dependencies" };
};

const build: Behaviour = (tree) => {
  const { rng, arch } = tree;
  tree.edit(rng.pick(arch.build), rng.size(6, 1, 60), rng.range(0, 8));
  if (rng.chance(0.25)) tree.edit(rng.pick(arch.configs), rng.range(1, 4), rng.range(0, 2));
  return { type: "build", scope: null, subject: "smaller image" };
};

const release: Behaviour = (tree) => {
  const { rng, arch } = tree;
  const version = `${rng.range(0, 3)}.${rng.range(0, 20)}.${rng.range(0, 9)}`;
  const parts = Math.max(1, Math.min(arch.changelogs.length, rng.range(1, 3)));
  for (let i = 0; i < parts; i++) tree.edit(arch.changelogs[i]!, rng.size(12, 3, 80), 0);
  if (arch.manifests.length > 0) {
    for (let i = 0; i < Math.min(parts, arch.manifests.length); i++)
      tree.edit(arch.manifests[i]!, 1, 1);
  } else {
    tree.edit(arch.build[0]!, 1, 1);
  }
  if (arch.versionFile && rng.chance(0.5)) tree.edit(arch.versionFile, 1, 1);
  if (arch.changesetDir)
    for (const f of tree.existing((p) => p.startsWith(`${arch.changesetDir}/`))) tree.remove(f);
  return { type: "chore", scope: "release", subject: `v${version}` };
};

const design: Behaviour = (tree) => {
  const { rng, arch } = tree;
  const mode = rng.weighted({ assets: 40, files: 30, styles: 30 });
  if (mode === "assets") {
    for (let i = rng.range(1, 4); i > 0; i--) {
      const name = `${base(tree.newModulePath()).toLowerCase()}.${rng.pick(["svg", "png"])}`;
      if (name.endsWith(".svg")) tree.create(`${arch.assetsDir}/${name}`, rng.size(12, 3, 60));
      else tree.binary(`${arch.assetsDir}/${name}`);
    }
  } else if (mode === "files") {
    tree.binary(
      `${arch.designDir}/${rng.pick(["app", "onboarding", "checkout", "settings"])}.${rng.pick(["fig", "sketch", "png"])}`,
    );
    if (rng.chance(0.3))
      tree.edit(`${arch.designDir}/README.md`, rng.range(2, 12), rng.range(0, 3));
  } else {
    const styles = tree.existing((p) => /\.(css|scss)$/.test(p));
    tree.edit(
      styles.length > 0 ? rng.pick(styles) : `${arch.assetsDir}/../theme.css`,
      rng.size(15, 2, 80),
      rng.range(0, 20),
    );
    if (rng.chance(0.3))
      tree.edit(`${arch.designDir}/tokens.json`, rng.range(2, 20), rng.range(0, 10));
  }
  return { type: "design", scope: null, subject: "refresh visuals" };
};

const plan: Behaviour = (tree) => {
  const { rng, arch } = tree;
  if (rng.chance(0.45)) {
    tree.create(
      `${arch.adrDir}/${String(rng.range(1, 60)).padStart(4, "0")}-${base(tree.newModulePath()).toLowerCase()}.md`,
      rng.size(40, 10, 150),
    );
  } else {
    tree.edit(rng.pick(arch.planning), rng.size(15, 2, 100), rng.range(0, 15));
  }
  return { type: "plan", scope: null, subject: "next quarter" };
};

/** The behaviour of each kind of commit. */
export const behaviours: Readonly<Record<CommitKind, Behaviour>> = {
  feat,
  fix,
  docs,
  chore,
  deps,
  ci,
  build,
  refactor,
  style,
  perf,
  test,
  release,
  design,
  plan,
};
