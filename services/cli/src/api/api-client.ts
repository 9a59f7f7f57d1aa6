import { loadEnv, processEnv } from '@bulkops/config';
import { CliEnv } from '../cli.env';
import type { StreamedForm } from './streamed-form';

/** An HTTP error answered by the gateway, with its stable code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A small client of the HTTP API for the CLI (BULKOPS_URL, BULKOPS_TOKEN). */
export class ApiClient {
  private readonly env = loadEnv([CliEnv], processEnv()).get(CliEnv);

  async request(
    method: string,
    path: string,
    body?: FormData | StreamedForm,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    if (!this.env.bulkopsToken) {
      throw new Error(
        'BULKOPS_TOKEN is not set; export the token that `bulkops admin create-org` printed',
      );
    }
    let response: Response;
    try {
      const streamed = body !== undefined && !(body instanceof FormData);
      response = await fetch(new URL(path, this.env.bulkopsUrl), {
        method,
        // A streamed body is sent as it is produced (fetch calls that half duplex).
        ...(streamed ? { body: body.body, duplex: 'half' } : { body }),
        headers: {
          authorization: `Bearer ${this.env.bulkopsToken}`,
          ...(streamed ? { 'content-type': body.contentType } : {}),
          ...headers,
        },
      });
    } catch (error) {
      const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
      throw new Error(
        `cannot reach bulkops at ${this.env.bulkopsUrl} (${cause?.code ?? cause?.message ?? (error as Error).message}); is it running (npm start)?`,
      );
    }
    if (response.status >= 400) {
      const text = await response.text();
      let parsed: { code?: string; message?: string } = {};
      try {
        parsed = JSON.parse(text) as typeof parsed;
      } catch {
        parsed = { message: text };
      }
      throw new ApiError(
        response.status,
        parsed.code ?? 'HTTP_ERROR',
        `${parsed.message ?? response.statusText} (${response.status} ${parsed.code ?? ''})`.trim(),
      );
    }
    return response;
  }

  async json<T>(
    method: string,
    path: string,
    body?: FormData | StreamedForm,
    headers?: Record<string, string>,
  ): Promise<T> {
    return (await (await this.request(method, path, body, headers)).json()) as T;
  }
}
