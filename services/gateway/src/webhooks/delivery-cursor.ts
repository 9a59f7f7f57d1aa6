import type { DeliveryPosition } from '@bulkops/database';
import { timeIdCursor } from '../paging/time-id-cursor';

/** Cursors of `GET /v1/webhooks/{id}/deliveries`: the last delivery's creation time and id. */
export const deliveryCursor = timeIdCursor<DeliveryPosition>(
  (delivery) => delivery.createdAt,
  (createdAt, id) => ({ createdAt, id }),
);
