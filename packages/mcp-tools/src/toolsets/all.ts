/** Every tool of this package, by toolset. */
import type { DevflowTool } from "../tool.js";
import { aiTools } from "./ai.js";
import { dataTools } from "./data.js";
import { deliveryTools } from "./delivery.js";
import { gitTools } from "./git.js";
import { metricsTools } from "./metrics.js";
import { projectTools } from "./project.js";
import { securityTools } from "./security.js";
import { stageTools } from "./stage.js";
import { systemTools } from "./system.js";

/** All DevFlow tools; a server picks toolsets from these. */
export const ALL_TOOLS: readonly DevflowTool[] = [
  ...projectTools,
  ...stageTools,
  ...metricsTools,
  ...gitTools,
  ...deliveryTools,
  ...aiTools,
  ...systemTools,
  ...securityTools,
  ...dataTools,
];
