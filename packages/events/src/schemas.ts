import { z } from "zod";
import { aiEvents } from "./catalog/ai.js";
import { analysisEvents } from "./catalog/analysis.js";
import { integrationEvents } from "./catalog/external.js";
import { fileEvents } from "./catalog/file.js";
import { gitEvents } from "./catalog/git.js";
import { notificationEvents, securityEvents } from "./catalog/people.js";
import { runEvents } from "./catalog/runs.js";
import { systemEvents } from "./catalog/system.js";

/**
 * The schema of every DevFlow event: one discriminated union over `type`. Parsing fills in
 * `id` (UUIDv7), `timestamp`, `category` and `severity` when they are omitted.
 */
export const DevflowEventSchema = z.discriminatedUnion("type", [
  ...fileEvents,
  ...gitEvents,
  ...aiEvents,
  ...runEvents,
  ...systemEvents,
  ...analysisEvents,
  ...integrationEvents,
  ...notificationEvents,
  ...securityEvents,
]);

/** A validated event, with every envelope field filled in. */
export type DevflowEvent = z.output<typeof DevflowEventSchema>;
/** What a producer passes to `emit`: `id`, `timestamp`, `category` and `severity` are optional. */
export type EventInput = z.input<typeof DevflowEventSchema>;
/** Every event type name. */
export type EventType = DevflowEvent["type"];
/**
 * Narrows a union of events to one type. Not `Extract`: the security events share one schema
 * whose `type` is a union of literals, which `Extract<…, { type: "security.login_failed" }>`
 * would turn into `never`.
 */
type NarrowEvent<TEvent, TType extends string> = TEvent extends { type: infer TEventType }
  ? TType extends TEventType
    ? TEvent & { type: TType }
    : never
  : never;
/** The event of one type. */
export type EventOf<TType extends EventType> = NarrowEvent<DevflowEvent, TType>;
/** The typed `data` of one event type. */
export type EventData<TType extends EventType> = EventOf<TType>["data"];

/** Every known event type name, in catalog order. */
export const EVENT_TYPES: readonly EventType[] = DevflowEventSchema.options.map(
  (o) => o.shape.type.value,
);
