import { describe, expect, it } from "vitest";
import { classifyCommand, classifyScript, sanitizeCommand } from "../src/perf/classify.js";

const T = (tool: string) => ({ tool, kind: "test" });
const B = (tool: string) => ({ tool, kind: "build" });

describe("classifyCommand", () => {
  const cases: Array<[string, ReturnType<typeof T> | null]> = [
    // test runners, as ps shows them
    ["node /home/u/p/node_modules/.bin/vitest run", T("vitest")],
    ["/usr/bin/node /p/node_modules/vitest/vitest.mjs run --reporter=junit", T("vitest")],
    ["vitest", T("vitest")],
    ["npx jest", T("jest")],
    ["npx --yes jest --ci", T("jest")],
    ["node /usr/lib/node_modules/npm/bin/npx-cli.js jest", T("jest")],
    ["node /p/node_modules/jest/bin/jest.js --coverage", T("jest")],
    ["pnpm exec vitest run", T("vitest")],
    ["node /p/node_modules/mocha/bin/_mocha test/", T("mocha")],
    ["python -m pytest", T("pytest")],
    ["python3.12 -m pytest -x tests/", T("pytest")],
    ["/p/.venv/bin/python /p/.venv/bin/pytest -q", T("pytest")],
    ["uv run pytest", T("pytest")],
    ["python -m unittest discover", T("unittest")],
    ["python manage.py test", T("django")],
    ["go test ./...", T("go")],
    ["cargo test", T("cargo")],
    ["cargo nextest run", T("cargo")],
    ["mvn test", T("mvn")],
    ["./mvnw -q verify", T("mvn")],
    ["./gradlew test", T("gradle")],
    ["gradle :app:integrationTest", T("gradle")],
    ["node --test test/", T("node")],
    ["make test", T("make")],
    ["turbo run test", T("turbo")],
    ["bun test", T("bun")],
    ["npx playwright test", T("playwright")],
    // builds
    ["tsc -p .", B("tsc")],
    ["node /p/node_modules/typescript/bin/tsc -b", B("tsc")],
    ["npx tsc -p tsconfig.json", B("tsc")],
    ["vite build", B("vite")],
    ["node /p/node_modules/vite/bin/vite.js build", B("vite")],
    ["webpack --mode production", B("webpack")],
    ["node /p/node_modules/webpack-cli/bin/cli.js --mode production", B("webpack")],
    ["esbuild src/index.ts --bundle --outfile=out.js", B("esbuild")],
    ["turbo run build", B("turbo")],
    ["turbo build --filter=web", B("turbo")],
    ["make", B("make")],
    ["make -j 4 all", B("make")],
    ["cargo build --release", B("cargo")],
    ["go build ./cmd/app", B("go")],
    ["./gradlew build", B("gradle")],
    ["sh ./gradlew build", B("gradle")],
    [
      "/usr/lib/jvm/java-17/bin/java -Xmx64m -classpath /p/gradle/wrapper/gradle-wrapper.jar org.gradle.wrapper.GradleWrapperMain build",
      B("gradle"),
    ],
    ["mvn -q clean install", B("mvn")],
    ["time make all", B("make")],
    ["FOO=1 env tsc", B("tsc")],
    // not runs: dev servers, watchers, helpers, editors and tools with "test" in an argument
    ["vite", null],
    ["vite --port 3000", null],
    ["node /p/node_modules/vite/bin/vite.js", null],
    ["vitest watch", null],
    ["jest --watch", null],
    ["tsc --watch -p .", null],
    ["tsc -w", null],
    ["webpack serve", null],
    ["webpack --watch", null],
    ["/p/node_modules/@esbuild/linux-x64/bin/esbuild --service=0.25.0 --ping", null],
    ["turbo daemon", null],
    ["turbo run dev", null],
    ["turbo run lint", null],
    ["node /p/node_modules/typescript/lib/tsserver.js --useInferredProjectPerProjectRoot", null],
    ["node /p/node_modules/vitest/dist/workers/forks.js", null],
    ["vim test/foo.test.ts", null],
    ["nvim src/jest.config.ts", null],
    ["code --wait tests/test_app.py", null],
    ["less junit.xml", null],
    ["grep -r vitest .", null],
    ["tail -f make.log", null],
    ["node test.js", null],
    ["node server.js --test-mode", null],
    ["python test_app.py", null],
    ["python -c import pytest", null],
    ["bash -c make test", null],
    ["npm test", null],
    ["pnpm run build", null],
    ["jest --version", null],
    ["make clean", null],
    ["cargo check --message-format=json", null],
    ["cargo run", null],
    ["go vet ./...", null],
    ["gradle --stop", null],
    ["java -jar app.jar", null],
    ["", null],
  ];
  it.each(cases)("%s", (cmd, expected) => {
    expect(classifyCommand(cmd)).toEqual(expected);
  });
});

describe("classifyScript", () => {
  it.each([
    ["npm test", T("npm")],
    ["npm t", T("npm")],
    ["pnpm run test:unit", T("pnpm")],
    ["yarn build", B("yarn")],
    ["npm run-script typecheck", B("npm")],
    ["pnpm dev", null],
    ["make test", null],
  ] as const)("%s", (cmd, expected) => {
    expect(classifyScript(cmd)).toEqual(expected);
  });
});

describe("sanitizeCommand", () => {
  it("makes paths relative, abbreviates home and masks secrets", () => {
    expect(
      sanitizeCommand(
        "node /home/u/proj/node_modules/.bin/jest --token=abc123 /home/u/other /home/u/projX",
        "/home/u/proj",
        "/home/u",
      ),
    ).toBe("node ./node_modules/.bin/jest --token=*** ~/other ~/projX");
  });
});
