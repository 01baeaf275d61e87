// @ts-check
import js from "@eslint/js";
import importX, { createNodeResolver } from "eslint-plugin-import-x";
import unicorn from "eslint-plugin-unicorn";
import globals from "globals";
import tseslint from "typescript-eslint";

/**
 * The layers of docs/ARCHITECTURE.md, bottom first. A package may import only the packages
 * listed for it; peers (monitors, analyzers, integrations) never import each other, and no
 * library imports an app.
 */
const allowed = {
  events: [],
  security: ["events"],
  storage: ["events", "security"],
  monitors: ["events", "security", "storage"],
  analyzers: ["events", "security", "storage"],
  integrations: ["events", "security", "storage"],
  "mcp-tools": ["events", "security", "storage", "monitors", "analyzers", "integrations"],
  runtime: ["events", "security", "storage", "monitors", "analyzers", "integrations", "mcp-tools"],
};
const apps = ["cli", "mcp-server", "api"];

/**
 * Storage is reached through its repositories only (issue 12): above `@devflow/storage` no code
 * imports the database drivers or touches the connection (`orm`, `$client`), so no code there
 * knows a table or a JSON path, and another backend can implement the same interfaces.
 */
const storageDriverImports = {
  group: ["drizzle-orm", "drizzle-orm/*", "better-sqlite3"],
  message:
    "Only @devflow/storage talks to the database; use its repositories (named reads) instead.",
};
/** The test-only connection entry of storage; product code never imports it. */
const storageTestingImport = {
  group: ["@devflow/storage/testing"],
  message: "@devflow/storage/testing is for tests only; go through the repositories.",
};
const storageConnectionSyntax = [
  {
    selector: "MemberExpression[property.name=/^(orm|\\$client)$/]",
    message:
      "The storage connection is internal to @devflow/storage; add a named repository method instead.",
  },
];
/**
 * Product code throws only `DevflowError` with a code its package lists (docs/ARCHITECTURE.md,
 * "Errors"): no plain `Error` (or its built-in subclasses) is created in the `src` of a package or
 * an app; wrap a foreign error with `toDevflowError(err, "<LAYER>_INTERNAL")`.
 */
const plainErrorSyntax = [
  {
    selector:
      "NewExpression[callee.name=/^(Error|TypeError|RangeError|SyntaxError|ReferenceError|EvalError|URIError|AggregateError)$/]",
    message:
      "Throw a DevflowError with a code from the package's errors.ts instead of a plain Error.",
  },
  {
    selector:
      "CallExpression[callee.name=/^(Error|TypeError|RangeError|SyntaxError|ReferenceError|EvalError|URIError|AggregateError)$/]",
    message:
      "Throw a DevflowError with a code from the package's errors.ts instead of a plain Error.",
  },
];

/** Test files of the packages and apps above storage: `@devflow/storage/testing` allowed. */
const testFiles = ["**/test/**", "**/*.test.ts"];
/** Benchmarks may also compare against the raw driver (e.g. runtime's ingest baseline). */
const benchFiles = ["**/bench/**"];

/**
 * Tests never import another package's or app's test or bench files by relative path: shared
 * test helpers live in @devflow/test-utils.
 */
const foreignTestFiles = {
  group: [
    "../../*/test/**",
    "../../*/bench/**",
    "../../../*/test/**",
    "../../../*/bench/**",
    "../../../*/*/test/**",
    "../../../*/*/bench/**",
    "../../../../*/*/test/**",
    "../../../../*/*/bench/**",
  ],
  message:
    "Do not import another package's test or bench files; shared test helpers go in @devflow/test-utils.",
};

const layerRules = Object.entries(allowed).flatMap(([pkg, deps]) => {
  const forbidden = [...Object.keys(allowed), ...apps].filter(
    (p) => p !== pkg && !deps.includes(p),
  );
  const patterns = [
    ...(forbidden.length
      ? [
          {
            group: forbidden.flatMap((p) => [`@devflow/${p}`, `@devflow/${p}/*`]),
            message: `@devflow/${pkg} may import only ${deps.length ? deps.map((d) => `@devflow/${d}`).join(", ") : "no other @devflow package"} (layering, docs/ARCHITECTURE.md).`,
          },
        ]
      : []),
    {
      group: ["**/apps/**", "../../*/src/**", "../../../*/src/**"],
      message:
        "Import other packages by name, never by relative path; libraries never import apps.",
    },
    foreignTestFiles,
  ];
  // Below storage nothing uses a database; storage itself owns the drivers.
  const aboveStorage = deps.includes("storage");
  const rule = (extra) => ["error", { patterns: [...patterns, ...extra] }];
  if (!aboveStorage)
    return [{ files: [`packages/${pkg}/**/*.ts`], rules: { "no-restricted-imports": rule([]) } }];
  return [
    {
      files: [`packages/${pkg}/**/*.ts`],
      rules: {
        "no-restricted-imports": rule([storageDriverImports, storageTestingImport]),
        "no-restricted-syntax": ["error", ...storageConnectionSyntax],
      },
    },
    {
      files: testFiles.map((f) => `packages/${pkg}/${f}`),
      rules: { "no-restricted-imports": rule([storageDriverImports]) },
    },
    {
      files: benchFiles.map((f) => `packages/${pkg}/${f}`),
      rules: { "no-restricted-imports": rule([]) },
    },
  ];
});

/**
 * The apps: no app imports another app (by name or by relative path: shared logic lives in
 * packages), and storage is reached through its repositories only, like the packages above it.
 * One rule entry per app and file kind, since a later `no-restricted-imports` replaces an
 * earlier one for the same file.
 */
const appRules = apps.flatMap((app) => {
  const otherApps = {
    group: apps
      .filter((a) => a !== app)
      .flatMap((a) => [`@devflow/${a}`, `@devflow/${a}/*`, `**/apps/${a}/**`, `../../${a}/**`]),
    message: `apps/${app} must not import another app; move what both need into a package (docs/ARCHITECTURE.md).`,
  };
  return [
    {
      files: [`apps/${app}/**/*.ts`],
      rules: {
        "no-restricted-imports": [
          "error",
          { patterns: [otherApps, foreignTestFiles, storageDriverImports, storageTestingImport] },
        ],
        "no-restricted-syntax": ["error", ...storageConnectionSyntax],
      },
    },
    {
      files: testFiles.map((f) => `apps/${app}/${f}`),
      rules: {
        "no-restricted-imports": [
          "error",
          { patterns: [otherApps, foreignTestFiles, storageDriverImports] },
        ],
      },
    },
  ];
});

export default tseslint.config(
  {
    ignores: [
      "**/dist/**",
      "**/node_modules/**",
      "**/.turbo/**",
      ".tools/**",
      "**/drizzle/**",
      "coverage/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked.map((c) => ({ ...c, files: ["**/*.ts"] })),
  {
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ["vitest.config.ts", "vitest.shared.ts", "tsup.base.ts"],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { "import-x": importX, unicorn },
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "import-x/no-default-export": "error",
      "import-x/no-duplicates": "error",
      "unicorn/filename-case": ["error", { case: "kebabCase" }],
      "max-lines": ["error", { max: 400, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ["packages/**/*.ts"],
    ignores: ["**/test/**", "**/bench/**"],
    rules: { "no-console": "error" },
  },
  {
    // No import cycles inside a library's source (across packages the layering forbids them).
    // The resolver maps the `./x.js` specifiers of our TypeScript sources to `./x.ts`.
    files: ["packages/**/src/**/*.ts"],
    settings: {
      // import-x reads the imported modules itself: it must parse .ts files as TypeScript.
      "import-x/extensions": [".ts", ".js"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts"] },
      "import-x/resolver-next": [
        createNodeResolver({
          extensions: [".ts", ".js"],
          extensionAlias: { ".js": [".ts", ".js"] },
          conditionNames: ["@devflow/source", "types", "import", "node"],
        }),
      ],
    },
    rules: { "import-x/no-cycle": "error" },
  },
  {
    // More than four positional parameters become an options object. Four, not three: the
    // fourth is nearly always an injected clock or context (`(state, key, value, now)`), which
    // an options object would only hide (docs/ARCHITECTURE.md, "Toolchain").
    files: ["packages/**/src/**/*.ts", "apps/**/src/**/*.ts"],
    rules: { "max-params": ["error", 4] },
  },
  ...layerRules,
  ...appRules,
  // No plain errors in product code. `no-restricted-syntax` replaces earlier settings for the
  // same file, so the storage-connection selectors are repeated for the layers they apply to.
  ...Object.entries(allowed).map(([pkg, deps]) => ({
    files: [`packages/${pkg}/src/**/*.ts`],
    rules: {
      "no-restricted-syntax": [
        "error",
        ...(deps.includes("storage") ? storageConnectionSyntax : []),
        ...plainErrorSyntax,
      ],
    },
  })),
  {
    files: apps.map((app) => `apps/${app}/src/**/*.ts`),
    rules: { "no-restricted-syntax": ["error", ...storageConnectionSyntax, ...plainErrorSyntax] },
  },
  {
    // test-utils is no layer of its own (a private dev package); the apps' rules are above.
    files: ["packages/test-utils/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [foreignTestFiles] }] },
  },
  {
    // Config files must default-export their config.
    files: ["**/*.config.ts", "**/*.config.js"],
    rules: { "import-x/no-default-export": "off" },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ["**/test/**/*.ts", "**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "max-lines": ["error", { max: 500, skipBlankLines: true, skipComments: true }],
    },
  },
);
