import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Injectable } from '@nestjs/common';
import { WebhookTargetPolicy } from './webhook-target-policy';

/** One signed POST to send. */
export interface WebhookRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

/**
 * Sends a webhook POST and answers the HTTP status it got; rejects when no answer came (refused
 * target, DNS, connection, timeout). Redirects are not followed: a 3xx is an answer like any other
 * non-2xx, and following one could lead a delivery to an address the policy never checked.
 */
@Injectable()
export class WebhookSender {
  constructor(private readonly policy: WebhookTargetPolicy) {}

  async post(request: WebhookRequest): Promise<number> {
    const url = this.policy.parse(request.url);
    this.policy.assertSendable(url);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<number>((resolve, reject) => {
      const outgoing = send(
        url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(request.body)),
            'user-agent': 'bulkops-webhooks/1',
            ...request.headers,
          },
          lookup: this.policy.lookup,
          // A fresh connection each time: a pooled socket would skip the address check.
          agent: false,
          timeout: request.timeoutMs,
        },
        (response: IncomingMessage) => {
          // The answer's body is not ours to keep; drain it so the socket closes.
          response.resume();
          response.once('end', () => resolve(response.statusCode ?? 0));
          response.once('error', reject);
        },
      );
      outgoing.once('timeout', () =>
        outgoing.destroy(new Error(`no answer within ${request.timeoutMs} ms`)),
      );
      outgoing.once('error', reject);
      outgoing.end(request.body);
    });
  }
}
