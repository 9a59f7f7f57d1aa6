import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST the receiver got. */
export interface ReceivedDelivery {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The HTTP status the receiver answered with. */
  answered: number;
}

/**
 * A local HTTP server standing in for a customer's webhook endpoint. Each path answers from its own
 * script of statuses (the last one repeats), 204 when it has none, and keeps every request.
 */
export class WebhookReceiver {
  readonly received: ReceivedDelivery[] = [];
  private readonly scripts = new Map<string, number[]>();
  private server: Server | null = null;
  private port = 0;

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    receiver.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '/';
        const script = receiver.scripts.get(path) ?? [];
        const answered = (script.length > 1 ? script.shift() : script[0]) ?? 204;
        receiver.received.push({
          path,
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          answered,
        });
        response.writeHead(answered).end();
      });
    });
    await new Promise<void>((resolve) => receiver.server?.listen(0, '127.0.0.1', resolve));
    receiver.port = (receiver.server.address() as AddressInfo).port;
    return receiver;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Makes `path` answer these statuses in turn, then the last one for ever. */
  answer(path: string, ...statuses: number[]): void {
    this.scripts.set(path, statuses);
  }

  at(path: string): ReceivedDelivery[] {
    return this.received.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}
