/** Every tool of this package, by toolset. */
import type { Operation } from "../tool.js";
import { aiTools } from "./ai.js";
import { dataTools } from "./data.js";
import { deliveryTools } from "./delivery.js";
import { gitCommitTools } from "./git-commits.js";
import { gitKnowledgeTools } from "./git-knowledge.js";
import { gitTools } from "./git.js";
import { maatTools } from "./maat.js";
import { metricsTools } from "./metrics.js";
import { projectTools } from "./project.js";
import { securityTools } from "./security.js";
import { stageTools } from "./stage.js";
import { systemTools } from "./system.js";

/** All DevFlow tools; a server picks toolsets from these. */
export const OPERATIONS: readonly Operation[] = [
  ...projectTools,
  ...stageTools,
  ...metricsTools,
  ...gitCommitTools,
  ...gitTools,
  ...gitKnowledgeTools,
  ...maatTools,
  ...deliveryTools,
  ...aiTools,
  ...systemTools,
  ...securityTools,
  ...dataTools,
];
