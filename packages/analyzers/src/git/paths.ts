import { DevflowError } from "@devflow/events";

/** One component of a code-maat layer file: paths matching `pattern` become entity `name`. */
export interface ComponentGroup {
  pattern: RegExp;
  name: string;
}

/** Maps a stored path to the entity an analysis counts, or `null` when it is filtered out. */
export type EntityMapper = (path: string) => string | null;

/** Path filters and grouping of a scope (see {@link createEntityMapper}). */
export interface PathOptions {
  /** Globs a path must match (any of them); none means every path. */
  include?: readonly string[];
  /** Globs that drop a path (any of them), applied after `include`. */
  exclude?: readonly string[];
  /** Components: a path becomes the name of the first group it matches; others are dropped. */
  groups?: readonly ComponentGroup[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/**
 * Translates a glob into a regular expression over a whole path: `**` crosses directories,
 * `*` and `?` stay inside one name, `[…]` is a character class, `{a,b}` an alternative.
 */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        const slashAfter = glob[i + 2] === "/";
        re += slashAfter ? "(?:.*/)?" : ".*";
        i += slashAfter ? 2 : 1;
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 1);
      if (end === -1) re += "\\[";
      else {
        const body = glob
          .slice(i + 1, end)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\");
        re += `[${body}]`;
        i = end;
      }
    } else if (c === "{") {
      const end = glob.indexOf("}", i + 1);
      if (end === -1) re += "\\{";
      else {
        re += `(?:${glob
          .slice(i + 1, end)
          .split(",")
          .map((alt) => globToRegExp(alt).source.slice(1, -1))
          .join("|")})`;
        i = end;
      }
    } else re += escapeRegExp(c);
  }
  return new RegExp(`^${re}$`);
}

/**
 * A path matcher for `.gitignore`-like globs. A glob without a slash matches a file or
 * directory name at any depth (`*.md`, `vendor`); a glob with a slash is anchored at the
 * repository root (`src/**\/*.ts`, `docs/`). A matching directory matches everything below it.
 */
export function createPathMatcher(globs: readonly string[]): (path: string) => boolean {
  const anchored: RegExp[] = [];
  const names: RegExp[] = [];
  for (const raw of globs) {
    const glob = raw.trim().replace(/^\.\//, "").replace(/\/+$/, "");
    if (glob === "") {
      throw new DevflowError("ANALYZERS_BAD_ARGUMENT", `empty path pattern "${raw}"`);
    }
    if (glob.includes("/")) anchored.push(globToRegExp(glob.replace(/^\//, "")));
    else names.push(globToRegExp(glob));
  }
  return (path) => {
    let start = 0;
    for (;;) {
      const slash = path.indexOf("/", start);
      const end = slash === -1 ? path.length : slash;
      const prefix = path.slice(0, end);
      if (anchored.some((re) => re.test(prefix))) return true;
      const name = path.slice(start, end);
      if (names.some((re) => re.test(name))) return true;
      if (slash === -1) return false;
      start = slash + 1;
    }
  };
}

/**
 * Parses a code-maat layer specification: one `pattern => name` per line (blank lines and
 * lines starting with `#` are skipped). A pattern that starts with `^` or ends with `$` is a
 * regular expression over the path; any other pattern is a directory (`src/core => Core`
 * groups everything below `src/core/`), as code-maat's text layers.
 *
 * @throws {@link DevflowError} `ANALYZERS_BAD_ARGUMENT` naming the line that is not a group.
 */
export function parseComponentGroups(text: string): ComponentGroup[] {
  const groups: ComponentGroup[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const sep = line.lastIndexOf("=>");
    const pattern = sep === -1 ? "" : line.slice(0, sep).trim();
    const name = sep === -1 ? "" : line.slice(sep + 2).trim();
    if (!pattern || !name) {
      throw new DevflowError(
        "ANALYZERS_BAD_ARGUMENT",
        `component group line ${i + 1} is not "pattern => name": ${raw}`,
      );
    }
    const isRegex = pattern.startsWith("^") || pattern.endsWith("$");
    try {
      groups.push({
        pattern: isRegex
          ? new RegExp(pattern)
          : new RegExp(`^${escapeRegExp(pattern.replace(/\/+$/, ""))}/`),
        name,
      });
    } catch (err) {
      throw new DevflowError(
        "ANALYZERS_BAD_ARGUMENT",
        `component group line ${i + 1} has an invalid regular expression: ${pattern}`,
        { cause: err },
      );
    }
  });
  return groups;
}

/**
 * The entity mapper of a scope: `include` and `exclude` globs filter paths, then component
 * groups rename them (a path that matches no group is dropped, as code-maat does). Results are
 * cached per path, so a history with many commits maps each distinct path once.
 */
export function createEntityMapper(options: PathOptions = {}): EntityMapper {
  const include = options.include?.length ? createPathMatcher(options.include) : null;
  const exclude = options.exclude?.length ? createPathMatcher(options.exclude) : null;
  const groups = options.groups?.length ? options.groups : null;
  if (!include && !exclude && !groups) return (path) => path;
  const cache = new Map<string, string | null>();
  return (path) => {
    let entity = cache.get(path);
    if (entity !== undefined) return entity;
    entity = path;
    if (include && !include(path)) entity = null;
    else if (exclude?.(path)) entity = null;
    else if (groups) entity = groups.find((g) => g.pattern.test(path))?.name ?? null;
    cache.set(path, entity);
    return entity;
  };
}
