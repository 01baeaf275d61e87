/**
 * @module stage-rules
 * The stage analyzer's rules as data: which events, paths and conditions are evidence for which
 * stage, and how much (the rule model is in `stage-rule-model.ts`). This file holds the planning
 * stages and assembles {@link STAGE_RULES}; the other groups are in `stage-rules-build.ts`.
 */
import { DOC, FILE_EVENTS, type StageRule } from "./stage-rule-model.js";
import { DELIVERY_RULES, IMPLEMENTATION_RULES } from "./stage-rules-build.js";

/** Evidence for the planning stages (prd, planning, erd, wireframe, screen_design, design). */
const PLANNING_RULES: readonly StageRule[] = [
  {
    id: "prd.document",
    stage: "prd",
    weight: 1,
    on: FILE_EVENTS,
    pattern: new RegExp(
      String.raw`(^|/)[^/]*(prd|product[-_ ]?requirements?|product[-_ ]?spec|mrd)[^/]*${DOC}`,
      "i",
    ),
    why: "a product requirements document",
  },
  {
    id: "prd.requirements",
    stage: "prd",
    subStage: "use_case",
    weight: 0.7,
    on: FILE_EVENTS,
    pattern: new RegExp(
      String.raw`(^|/)[^/]*(requirements?|user[-_ ]?stories|personas?|problem[-_ ]?statement|vision)[^/]*${DOC}`,
      "i",
    ),
    why: "requirements, user stories or personas",
  },
  {
    id: "prd.doc-tool",
    stage: "prd",
    weight: 0.8,
    on: ["integration.doc_updated"],
    pattern: /prd|requirement|product spec/i,
    why: "a requirements page updated in a docs tool",
  },
  {
    id: "planning.documents",
    stage: "planning",
    weight: 0.9,
    on: FILE_EVENTS,
    pattern:
      /(^|\/)(ROADMAP|PLANNING|PLAN|MILESTONES?|BACKLOG|TODO)(\.[a-z]+)?$|(^|\/)(plans?|planning|roadmap|sprints?|backlog|milestones?)\//i,
    why: "roadmap, plan, backlog or milestones",
  },
  {
    id: "planning.decisions",
    stage: "planning",
    weight: 0.7,
    on: FILE_EVENTS,
    pattern: /(^|\/)(adr|adrs|decisions|rfcs?|proposals?)\//i,
    why: "architecture decision records and RFCs",
  },
  {
    id: "planning.issues",
    stage: "planning",
    weight: 0.6,
    on: ["integration.issue_transition"],
    why: "issues moved on a board",
  },
  {
    id: "erd.schema",
    stage: "erd",
    weight: 1,
    on: FILE_EVENTS,
    pattern: /\.(sql|ddl|dbml|erd|erdx|prisma)$|(^|\/)schema\.(prisma|dbml|graphql|gql)$/i,
    why: "a database schema (SQL, DBML, Prisma, ERD)",
  },
  {
    id: "erd.migrations",
    stage: "erd",
    weight: 0.8,
    on: FILE_EVENTS,
    pattern: /(^|\/)(migrations?|migrate|db\/schema)\//i,
    why: "database migrations",
  },
  {
    id: "erd.model-docs",
    stage: "erd",
    weight: 0.9,
    on: FILE_EVENTS,
    pattern: /(^|\/)[^/]*(erd|er[-_]diagram|data[-_]?model|entity[-_]relationship)[^/]*$/i,
    condition: "not-code",
    why: "an entity-relationship diagram or data model document",
  },
  {
    id: "wireframe.files",
    stage: "wireframe",
    weight: 1,
    on: FILE_EVENTS,
    pattern: /(^|\/)wireframes?\/|wireframe|\.(excalidraw|bmpr|wireframe|epgz)$/i,
    why: "wireframes",
  },
  {
    id: "wireframe.design-tool",
    stage: "wireframe",
    weight: 0.8,
    on: ["integration.design_updated"],
    pattern: /wireframe|lo-?fi/i,
    why: "a wireframe updated in a design tool",
  },
  {
    id: "screen_design.specs",
    stage: "screen_design",
    weight: 0.9,
    on: FILE_EVENTS,
    pattern:
      /screen[-_ ]?(design|spec|plan|flow|list)s?|ui[-_ ]?specs?|storyboards?|user[-_ ]?flows?|(^|\/)screens\//i,
    condition: "not-code",
    why: "screen specifications, storyboards or user flows",
  },
  {
    id: "design.tool-files",
    stage: "design",
    weight: 1,
    on: FILE_EVENTS,
    pattern: /\.(fig|sketch|xd|psd|ai|indd|penpot)$/i,
    why: "files of design tools (Figma, Sketch, XD, Photoshop, Illustrator)",
  },
  {
    id: "design.folders",
    stage: "design",
    weight: 0.8,
    on: FILE_EVENTS,
    pattern: /(^|\/)(design|designs|mockups?|prototypes?|ui-kit|design-system)\//i,
    condition: "not-code",
    why: "design, mockup or prototype folders",
  },
  {
    id: "design.tokens",
    stage: "design",
    weight: 0.7,
    on: FILE_EVENTS,
    pattern: /(^|\/)[^/]*tokens\.(json|ya?ml)$|(^|\/)theme\.(json|ya?ml)$/i,
    why: "design tokens or themes",
  },
  {
    id: "design.images",
    stage: "design",
    weight: 0.3,
    on: FILE_EVENTS,
    pattern: /\.(png|jpe?g|svg|webp|gif|avif)$/i,
    why: "images",
  },
  {
    id: "design.design-tool",
    stage: "design",
    weight: 0.9,
    on: ["integration.design_updated"],
    why: "a design updated in a design tool",
  },
];

/** Evidence for the 13 stages. */
export const STAGE_RULES: readonly StageRule[] = [
  ...PLANNING_RULES,
  ...IMPLEMENTATION_RULES,
  ...DELIVERY_RULES,
];
