/**
 * The catalog: every type in EVENT_TYPES has a valid example, its category is the part before
 * the dot, and the exported helper types resolve to the right shapes (checked by tsc).
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  CATEGORIES,
  DevflowEventSchema,
  EVENT_TYPES,
  SECURITY_ACTIONS,
  validateEvent,
  type EventData,
  type EventOf,
  type EventType,
} from "../src/index.js";
import { DATA_EXAMPLES, exampleEvent } from "./fixtures.js";

describe("EVENT_TYPES", () => {
  it("lists each type once, as category.action with a known category", () => {
    expect(new Set(EVENT_TYPES).size).toBe(EVENT_TYPES.length);
    for (const type of EVENT_TYPES) {
      expect(type).toMatch(/^[a-z]+\.[a-z_]+$/);
      expect(CATEGORIES).toContain(type.split(".")[0]);
    }
  });

  it("has an example for exactly the catalogued types", () => {
    expect(Object.keys(DATA_EXAMPLES).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it("covers every category and every security action", () => {
    expect(new Set(EVENT_TYPES.map((t) => t.split(".")[0]))).toEqual(new Set(CATEGORIES));
    for (const action of SECURITY_ACTIONS) expect(EVENT_TYPES).toContain(`security.${action}`);
  });

  it.each(EVENT_TYPES.map((type) => [type]))("parses a valid %s example", (type) => {
    const event = validateEvent(exampleEvent(type));
    expect(event.type).toBe(type);
    expect(event.category).toBe(type.split(".")[0]);
    expect(DevflowEventSchema.safeParse(event).success).toBe(true);
  });

  it.each(EVENT_TYPES.map((type) => [type]))("rejects an unknown data key in %s", (type) => {
    const input = { ...exampleEvent(type), data: { ...DATA_EXAMPLES[type], content: "x" } };
    expect(() => validateEvent(input)).toThrow(/Unrecognized key: "content"/);
  });
});

describe("exported event types", () => {
  it("narrow to one type, including the security events that share a schema", () => {
    expectTypeOf<EventOf<"file.changed">["data"]["path"]>().toEqualTypeOf<string>();
    expectTypeOf<
      EventOf<"security.login_failed">["type"]
    >().toEqualTypeOf<"security.login_failed">();
    expectTypeOf<EventData<"security.login_failed">>().not.toBeNever();
    expectTypeOf<EventData<"security.login_failed">["userId"]>().toEqualTypeOf<
      string | undefined
    >();
    expectTypeOf<"security.logout">().toExtend<EventType>();
    const data: EventData<"security.role_assigned"> = { userId: "u1", role: "admin" };
    expect(data.role).toBe("admin");
  });
});
