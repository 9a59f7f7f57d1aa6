import { BulkopsError, ErrorCode, jobNamesOn, queueKindOf } from '@bulkops/contracts';
import type { ConsumerDeclaration } from './consumes';

/**
 * Compares a service's processors with the queue catalogue: on every queue the service consumes,
 * each job name that travels there must have exactly one processor, and no processor may claim a
 * name that travels elsewhere. Answers one sentence per problem; none means the service may start.
 */
export function consumerProblems(consumers: readonly ConsumerDeclaration[]): string[] {
  const queues = [...new Set(consumers.map((c) => c.queue))];
  return queues.flatMap((queue) =>
    queueProblems(
      queue,
      consumers.filter((c) => c.queue === queue),
    ),
  );
}

/** The problems of one queue, given every processor that consumes it. */
function queueProblems(queue: string, consumers: readonly ConsumerDeclaration[]): string[] {
  const kind = queueKindOf(queue);
  if (kind === null) {
    return consumers.map(
      (c) => `${c.processor} consumes '${queue}', a queue the catalogue does not know`,
    );
  }
  const names = jobNamesOn(kind);
  const unhandledOrShared = names.flatMap((name) => {
    const handlers = consumers.filter((c) => c.handles.includes(name)).map((c) => c.processor);
    if (handlers.length === 0) return [`no processor handles '${name}' on the '${queue}' queue`];
    if (handlers.length === 1) return [];
    return [
      `'${name}' on the '${queue}' queue has ${handlers.length} processors: ${handlers.join(', ')}`,
    ];
  });
  const strays = consumers.flatMap((c) =>
    c.handles
      .filter((name) => !names.includes(name))
      .map(
        (name) =>
          `${c.processor} claims '${name}' on the '${queue}' queue, but the catalogue sends '${name}' elsewhere`,
      ),
  );
  return [...unhandledOrShared, ...strays];
}

/**
 * Refuses to start a service whose processors do not match the queue catalogue. `undeclared` names
 * BullMQ processors that bypassed `@Consumes`: the check cannot see what they handle.
 */
export function assertConsumersMatchCatalogue(
  consumers: readonly ConsumerDeclaration[],
  undeclared: readonly string[] = [],
): void {
  const problems = [
    ...undeclared.map(
      (processor) =>
        `${processor} is a BullMQ processor without @Consumes; declare its queue and job names with @Consumes`,
    ),
    ...consumerProblems(consumers),
  ];
  if (problems.length === 0) return;
  throw new BulkopsError(
    ErrorCode.InvalidConfiguration,
    `the processors of this service do not match the queue catalogue (libs/contracts/src/queue-catalogue.ts); give each job name of a consumed queue exactly one processor:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    { problems },
  );
}
