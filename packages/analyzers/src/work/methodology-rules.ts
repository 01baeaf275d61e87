/**
 * @module methodology-rules
 * The building blocks each methodology leaves in a code base's paths, as data. The methodology
 * analyzer counts which blocks a period's changes touched.
 */

/** A building block of a methodology, recognised by path. */
export interface MethodologyBlock {
  block: string;
  pattern: RegExp;
  why: string;
  /** Counts for any file (configuration, specs); otherwise only for code and test files. */
  anyFile?: boolean;
}

/** Domain-driven design: entities, value objects, aggregates, repositories, contexts, layers. */
export const DDD_BLOCKS: readonly MethodologyBlock[] = [
  {
    block: "entity",
    pattern: /(^|\/)entit(y|ies)\/|\.entity\.[a-z]+$|[a-z]Entity\.[a-z]+$/i,
    why: "entities",
  },
  {
    block: "value_object",
    pattern: /(^|\/)value[-_]?objects?\/|\.vo\.[a-z]+$|ValueObject\.[a-z]+$/i,
    why: "value objects",
  },
  {
    block: "aggregate",
    pattern: /(^|\/)aggregates?\/|\.aggregate\.[a-z]+$|Aggregate(Root)?\.[a-z]+$/i,
    why: "aggregates",
  },
  {
    block: "repository",
    pattern:
      /(^|\/)repositor(y|ies)\/|[.-]repository\.[a-z]+$|Repository\.[a-z]+$|_repository\.[a-z]+$/i,
    why: "repositories",
  },
  {
    block: "domain_service",
    pattern:
      /(^|\/)domain\/([^/]+\/)*services?\/|DomainService\.[a-z]+$|\.domain-service\.[a-z]+$/i,
    why: "domain services",
  },
  {
    block: "domain_event",
    pattern: /(^|\/)domain\/([^/]+\/)*events?\/|DomainEvent\.[a-z]+$|\.domain-event\.[a-z]+$/i,
    why: "domain events",
  },
  { block: "domain_layer", pattern: /(^|\/)domain\//i, why: "a domain layer" },
  {
    block: "application_layer",
    pattern: /(^|\/)(application|use[-_]?cases)\//i,
    why: "an application layer or use cases",
  },
  {
    block: "bounded_context",
    pattern:
      /(^|\/)(contexts|bounded[-_]?contexts|modules)\/[^/]+\/(domain|application|infrastructure)\//i,
    why: "bounded contexts with layers",
  },
];

/** Behaviour-driven development: Gherkin features and their step definitions. */
export const BDD_BLOCKS: readonly MethodologyBlock[] = [
  {
    block: "feature",
    pattern: /\.feature$|\.story$/i,
    why: "Gherkin feature or story files",
    anyFile: true,
  },
  {
    block: "steps",
    pattern:
      /(^|\/)(steps|step[-_]definitions|stepdefs)\/|[.-]steps\.[a-z]+$|_steps\.(py|rb)$|Steps\.(java|kt|cs)$/i,
    why: "step definitions",
  },
  {
    block: "runner",
    pattern:
      /(^|\/)(cucumber|behave|behat|specflow|gauge)[^/]*\.(js|cjs|mjs|ts|json|ya?ml|ini|toml|properties)$|(^|\/)features\/(support|environment)/i,
    why: "BDD runner configuration",
  },
];

/** Event-driven architecture: events, handlers, consumers, sagas, brokers, outboxes. */
export const EDA_BLOCKS: readonly MethodologyBlock[] = [
  {
    block: "events",
    pattern: /(^|\/)events?\/|[a-z0-9]Event\.[a-z]+$|\.event\.[a-z]+$|_event\.[a-z]+$/i,
    why: "event definitions",
  },
  {
    block: "handlers",
    pattern: /(^|\/)(event[-_]?)?handlers?\/|EventHandler\.[a-z]+$|\.handler\.[a-z]+$/i,
    why: "event handlers",
  },
  {
    block: "subscribers",
    pattern:
      /(^|\/)(listeners?|subscribers?|subscriptions?)\/|(Listener|Subscriber)\.[a-z]+$|\.(listener|subscriber)\.[a-z]+$/i,
    why: "listeners and subscribers",
  },
  {
    block: "messaging",
    pattern:
      /(^|\/)(consumers?|producers?|publishers?|messaging|queues?)\/|(Consumer|Producer|Publisher)\.[a-z]+$|\.(consumer|producer|publisher)\.[a-z]+$/i,
    why: "consumers, producers and queues",
  },
  {
    block: "sagas",
    pattern:
      /(^|\/)(sagas?|process[-_]?managers?|choreograph[a-z]*)\/|Saga\.[a-z]+$|\.saga\.[a-z]+$/i,
    why: "sagas and process managers",
  },
  {
    block: "broker",
    pattern:
      /kafka|rabbit|amqp|nats|(^|[/_.-])sqs|(^|[/_.-])sns|pubsub|eventbridge|kinesis|event[-_]?bus|message[-_]?bus|asyncapi/i,
    why: "brokers, buses and AsyncAPI",
  },
  {
    block: "event_store",
    pattern: /outbox|event[-_]?store|event[-_]?sourc|projections?\//i,
    why: "outboxes, event stores and projections",
  },
];
