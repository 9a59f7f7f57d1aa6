import { createHmac } from 'node:crypto';

/** The header that carries a delivery's signature. */
export const SIGNATURE_HEADER = 'X-Bulkops-Signature';

/** The header that carries a delivery's id: the same on every retry, so receivers can dedupe. */
export const DELIVERY_HEADER = 'X-Bulkops-Delivery';

/** `sha256=<hex HMAC-SHA256 of the exact body bytes under the webhook's secret>`. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}
