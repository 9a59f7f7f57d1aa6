import { keysetCursor, type KeysetCursor } from './keyset-cursor';

// Exactly what `encode` writes: Date#toISOString of a time Postgres can hold, and a UUID.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Cursors of a list sorted by a time and an id (jobs by submission, deliveries by creation).
 * Anything but what `encode` writes — other shapes, a time or id Postgres would refuse — is the
 * client's mistake (400), never a query that fails.
 */
export function timeIdCursor<P extends { id: string }>(
  timeOf: (position: P) => Date,
  positionOf: (time: Date, id: string) => P,
): KeysetCursor<P> {
  return keysetCursor<P>(
    (position) => [timeOf(position).toISOString(), position.id],
    (values) => {
      if (values.length !== 2) return null;
      const [at, id] = values;
      if (
        typeof at !== 'string' ||
        typeof id !== 'string' ||
        !ISO_TIME.test(at) ||
        !UUID.test(id)
      ) {
        return null;
      }
      const time = new Date(at);
      return !Number.isNaN(time.getTime()) && time.toISOString() === at
        ? positionOf(time, id)
        : null;
    },
  );
}
