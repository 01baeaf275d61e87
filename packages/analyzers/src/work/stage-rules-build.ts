/**
 * @module stage-rules-build
 * Stage evidence of the implementation stages (frontend, backend, ai_collab, coding) and the
 * delivery stages (git, deployment, operation); see `stage-rules.ts` for the rule model.
 */
import { FILE_EVENTS, type StageRule } from "./stage-rule-model.js";

/** Evidence for frontend, backend, ai_collab and coding. */
export const IMPLEMENTATION_RULES: readonly StageRule[] = [
  {
    id: "frontend.components",
    stage: "frontend",
    weight: 1,
    on: FILE_EVENTS,
    pattern: /(^|\/)(components?|pages|views|screens|layouts|widgets|hooks|islands)\//i,
    condition: "frontend-code",
    why: "components, pages and views",
  },
  {
    id: "frontend.ui-files",
    stage: "frontend",
    weight: 0.8,
    on: FILE_EVENTS,
    pattern: /\.(tsx|jsx|vue|svelte|astro)$/i,
    condition: "code",
    why: "UI component files",
  },
  {
    id: "frontend.styles",
    stage: "frontend",
    weight: 0.6,
    on: FILE_EVENTS,
    pattern: /\.(css|scss|sass|less|styl)$/i,
    why: "stylesheets",
  },
  {
    id: "frontend.code",
    stage: "frontend",
    weight: 0.6,
    on: FILE_EVENTS,
    condition: "frontend-code",
    why: "front-end code",
  },
  {
    id: "backend.handlers",
    stage: "backend",
    weight: 1,
    on: FILE_EVENTS,
    pattern:
      /(^|\/)(api|server|backend|controllers?|handlers?|routes?|routers?|endpoints?|resolvers?|middlewares?)\//i,
    condition: "code",
    why: "API handlers, routes and controllers",
  },
  {
    id: "backend.services",
    stage: "backend",
    weight: 0.8,
    on: FILE_EVENTS,
    pattern:
      /(^|\/)(services?|models?|repositories|repository|domain|workers?|jobs|queues?|consumers?)\//i,
    condition: "code",
    why: "services, models, repositories and workers",
  },
  {
    id: "backend.code",
    stage: "backend",
    weight: 0.6,
    on: FILE_EVENTS,
    condition: "backend-code",
    why: "back-end code",
  },
  {
    id: "ai_collab.prompts",
    stage: "ai_collab",
    subStage: "ai_prompt_design",
    weight: 1,
    on: ["ai.prompt"],
    why: "prompts to an AI assistant",
  },
  {
    id: "ai_collab.edits",
    stage: "ai_collab",
    weight: 0.9,
    on: ["ai.edit"],
    why: "edits made by an AI assistant",
  },
  {
    id: "ai_collab.tools",
    stage: "ai_collab",
    weight: 0.8,
    on: ["ai.tool_use"],
    why: "tools run by an AI assistant",
  },
  {
    id: "ai_collab.sessions",
    stage: "ai_collab",
    weight: 0.5,
    on: ["ai.session_started", "ai.usage"],
    why: "AI assistant sessions",
  },
  {
    id: "ai_collab.instructions",
    stage: "ai_collab",
    subStage: "ai_prompt_design",
    weight: 0.9,
    on: FILE_EVENTS,
    pattern:
      /(^|\/)(CLAUDE|AGENTS|GEMINI|\.cursorrules|copilot-instructions)(\.md)?$|(^|\/)prompts?\/|\.prompt(\.md|\.txt)?$/i,
    why: "instructions and prompt files for AI assistants",
  },
  {
    id: "coding.tests",
    stage: "coding",
    weight: 1.1,
    on: FILE_EVENTS,
    condition: "test",
    why: "tests",
  },
  {
    id: "coding.test-runs",
    stage: "coding",
    weight: 0.7,
    on: ["build.finished", "test.run_finished"],
    condition: "test-run",
    why: "test runs",
  },
  {
    id: "coding.builds",
    stage: "coding",
    weight: 0.4,
    on: ["build.finished"],
    condition: "build-run",
    why: "builds",
  },
  {
    id: "coding.code",
    stage: "coding",
    weight: 0.6,
    on: FILE_EVENTS,
    condition: "shared-code",
    why: "code outside front-end and back-end folders",
  },
];

/** Evidence for git, deployment and operation. */
export const DELIVERY_RULES: readonly StageRule[] = [
  {
    id: "git.merges",
    stage: "git",
    weight: 1,
    on: ["git.merge", "git.rebase"],
    why: "merges and rebases",
  },
  {
    id: "git.branches",
    stage: "git",
    weight: 0.7,
    on: ["git.branch_created", "git.branch_deleted"],
    why: "branches created or deleted",
  },
  {
    id: "git.switches",
    stage: "git",
    weight: 0.5,
    on: ["git.branch_switched", "git.push"],
    why: "branch switches and pushes",
  },
  { id: "git.stash", stage: "git", weight: 0.3, on: ["git.stash"], why: "stash use" },
  {
    id: "git.reviews",
    stage: "git",
    weight: 0.9,
    on: [
      "integration.pr_opened",
      "integration.pr_merged",
      "integration.pr_closed",
      "integration.review_submitted",
    ],
    why: "pull requests and reviews",
  },
  {
    id: "deployment.containers",
    stage: "deployment",
    weight: 1,
    on: FILE_EVENTS,
    pattern:
      /(^|\/)((Docker|Container)file(\.[^/]+)?|[^/]*\.dockerfile|\.dockerignore|(docker-)?compose(\.[^/]+)?\.ya?ml|Procfile)$/i,
    why: "container images and compose files",
  },
  {
    id: "deployment.pipelines",
    stage: "deployment",
    weight: 1,
    on: FILE_EVENTS,
    pattern:
      /(^|\/)(\.github\/workflows\/|\.circleci\/|\.buildkite\/|\.gitlab-ci\.ya?ml$|\.travis\.ya?ml$|Jenkinsfile$|azure-pipelines\.ya?ml$|bitbucket-pipelines\.ya?ml$|\.drone\.ya?ml$)/,
    why: "CI/CD pipelines",
  },
  {
    id: "deployment.infrastructure",
    stage: "deployment",
    weight: 1,
    on: FILE_EVENTS,
    pattern:
      /(^|\/)(helm|charts|k8s|kubernetes|deploy|deployment|terraform|infra|ansible|pulumi)\/|\.(tf|tfvars)$|(^|\/)(fly\.toml|vercel\.json|netlify\.toml|app\.yaml|serverless\.ya?ml)$/i,
    why: "infrastructure and deployment descriptors",
  },
  {
    id: "deployment.release-tag",
    stage: "deployment",
    weight: 1.2,
    on: ["git.tag"],
    condition: "tag-created",
    why: "a release tag",
  },
  {
    id: "deployment.changelog",
    stage: "deployment",
    weight: 0.6,
    on: FILE_EVENTS,
    pattern: /(^|\/)(CHANGELOG|CHANGES|RELEASE[-_]?NOTES)(\.[a-z]+)?$/i,
    why: "changelogs and release notes",
  },
  {
    id: "deployment.deployments",
    stage: "deployment",
    weight: 1,
    on: ["integration.deployment"],
    why: "deployments",
  },
  {
    id: "deployment.pipeline-runs",
    stage: "deployment",
    weight: 0.6,
    on: ["integration.pipeline"],
    why: "pipeline runs",
  },
  {
    id: "operation.monitoring",
    stage: "operation",
    weight: 1,
    on: FILE_EVENTS,
    pattern:
      /(^|\/)[^/]*(monitoring|observability|alerts?|alerting|dashboards?|grafana|prometheus|alertmanager|otel|opentelemetry|sentry|datadog|newrelic|loki|runbooks?|slos?|oncall|on-call|statuspage)([/_.-]|$)/i,
    condition: "not-code",
    why: "monitoring, alerting, dashboards and runbooks",
  },
  {
    id: "operation.incidents",
    stage: "operation",
    weight: 1,
    on: ["integration.incident"],
    why: "incidents",
  },
];
