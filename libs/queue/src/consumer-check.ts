import { BulkopsError, ErrorCode, jobNamesOn, queueKindOf } from '@bulkops/contracts';
import type { ConsumerDeclaration } from './consumes';

/**
 * Compares a service's processors with the queue catalogue: on every queue the service consumes,
 * each job name that travels there must have exactly one processor, and no processor may claim a
 * name that travels elsewhere. Answers one sentence per problem; none means the service may start.
 */
export function consumerProblems(consumers: readonly ConsumerDeclaration[]): string[] {
  const problems: string[] = [];
  const queues = [...new Set(consumers.map((c) => c.queue))];
  for (const queue of queues) {
    const onQueue = consumers.filter((c) => c.queue === queue);
    const kind = queueKindOf(queue);
    if (kind === null) {
      for (const consumer of onQueue) {
        problems.push(
          `${consumer.processor} consumes '${queue}', a queue the catalogue does not know`,
        );
      }
      continue;
    }
    const names = jobNamesOn(kind);
    for (const name of names) {
      const handlers = onQueue.filter((c) => c.handles.includes(name)).map((c) => c.processor);
      if (handlers.length === 0) {
        problems.push(`no processor handles '${name}' on the '${queue}' queue`);
      } else if (handlers.length > 1) {
        problems.push(
          `'${name}' on the '${queue}' queue has ${handlers.length} processors: ${handlers.join(', ')}`,
        );
      }
    }
    for (const consumer of onQueue) {
      for (const name of consumer.handles.filter((n) => !names.includes(n))) {
        problems.push(
          `${consumer.processor} claims '${name}' on the '${queue}' queue, but the catalogue sends '${name}' elsewhere`,
        );
      }
    }
  }
  return problems;
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
