/**
 * @module @devflow/test-utils
 * The test helpers of DevFlow's packages and apps, in one private package (never published; a
 * devDependency only): temp dirs that always clean up, real git repositories in temp dirs,
 * generated project histories written to git with fast-import, real SQLite storage on a temp
 * file, and a capturing logger. Needs vitest: cleanups run in `afterEach`/`afterAll`.
 * Depends on `@devflow/storage`, so the packages below it (events, security, storage) cannot use it.
 */
export { forFile, onCleanup, tempDir } from "./cleanup.js";
export { commitFile, GIT_TEST_ENV, makeRepo, runGit } from "./git.js";
export type { GitRunOptions } from "./git.js";
export { captureLogger } from "./logger.js";
export type { CapturedLine, CapturingLogger } from "./logger.js";
export { openTempStorage } from "./storage.js";
export { generateLabelledHistories, generateProjectHistory, Rng } from "./history/history.js";
export type { GeneratedCommit, GeneratedFile, GeneratedHistory } from "./history/history.js";
export { writeHistoryToGit } from "./history/to-git.js";
