import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Injectable } from '@nestjs/common';
import { BulkopsError, ErrorCode } from '@bulkops/contracts';
import { WebhookEnv } from '@bulkops/config';
import { isPublicAddress } from './blocked-addresses';

const refused = (host: string, why: string) =>
  new BulkopsError(
    ErrorCode.WebhookTargetNotAllowed,
    `Webhook target ${host} ${why}; webhooks may not reach loopback, link-local or private addresses (an operator can allow them with WEBHOOK_ALLOW_PRIVATE=true).`,
  );

/**
 * Which URLs a webhook may target (spec/api.md "Webhooks"). A URL is checked when it is registered
 * and its host's addresses again at every send, through `lookup`, which is the resolver the sender's
 * socket connects with: the address checked is the address connected to, so a name that resolves
 * to a public address at registration and to 127.0.0.1 later (DNS rebinding) is still refused.
 */
@Injectable()
export class WebhookTargetPolicy {
  constructor(private readonly env: WebhookEnv) {}

  get allowsPrivate(): boolean {
    return this.env.webhookAllowPrivate;
  }

  /** An http(s) URL without credentials in it; INVALID_REQUEST otherwise. */
  parse(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new BulkopsError(ErrorCode.InvalidRequest, 'url must be an absolute http(s) URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new BulkopsError(ErrorCode.InvalidRequest, 'url must be an http:// or https:// URL');
    }
    if (url.username || url.password) {
      throw new BulkopsError(
        ErrorCode.InvalidRequest,
        'url must not carry credentials; deliveries are authenticated by their signature',
      );
    }
    return url;
  }

  /** Checks a URL being registered: its host, or every address its name resolves to, is public. */
  async check(url: URL): Promise<void> {
    if (this.allowsPrivate) return;
    const host = hostOf(url);
    if (isIP(host)) {
      if (!isPublicAddress(host)) throw refused(host, 'is not a public address');
      return;
    }
    const addresses = await resolveAll(host).catch(() => {
      throw new BulkopsError(
        ErrorCode.InvalidRequest,
        `url: the host ${host} does not resolve; register a webhook whose host exists`,
      );
    });
    refuseBlocked(host, addresses);
  }

  /**
   * The resolver a delivery's socket connects with: null when private targets are allowed (the
   * system's own), else one that refuses names resolving to any blocked address. An IP literal
   * never reaches a resolver, so `assertSendable` checks it first.
   */
  get lookup(): LookupFunction | undefined {
    if (this.allowsPrivate) return undefined;
    return (hostname, options, callback) => {
      resolveAll(hostname, options.family).then(
        (addresses) => {
          try {
            refuseBlocked(hostname, addresses);
          } catch (error) {
            return callback(error as Error, '', 0);
          }
          if (options.all) return callback(null, addresses);
          const [first] = addresses;
          callback(null, first.address, first.family);
        },
        (error: NodeJS.ErrnoException) => callback(error, '', 0),
      );
    };
  }

  /** Refuses a URL whose host is a blocked IP literal (names are judged by `lookup`). */
  assertSendable(url: URL): void {
    if (this.allowsPrivate) return;
    const host = hostOf(url);
    if (isIP(host) && !isPublicAddress(host)) throw refused(host, 'is not a public address');
  }
}

/** The URL's host without the brackets of an IPv6 literal. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

function resolveAll(host: string, family?: number | string): Promise<LookupAddress[]> {
  const wanted = family === 4 || family === 'IPv4' ? 4 : family === 6 || family === 'IPv6' ? 6 : 0;
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, family: wanted }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  );
}

function refuseBlocked(host: string, addresses: readonly LookupAddress[]): void {
  const blocked = addresses.find((a) => !isPublicAddress(a.address));
  if (blocked) throw refused(host, `resolves to ${blocked.address}`);
  if (addresses.length === 0) throw refused(host, 'resolves to no address');
}
