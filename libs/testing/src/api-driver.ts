import type { JobView } from '@bulkops/contracts';
import { FINAL_JOB_STATUSES } from '@bulkops/contracts';
import { waitFor } from './wait-for';

/** An HTTP answer, body parsed when it is JSON. */
export interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
  /** The body as text, byte order mark kept (fetch's own text() drops it). */
  text: string;
  bytes: Buffer;
}

/** What a test uploads. */
export interface Upload {
  name: string;
  content: string | Buffer;
}

/** Talks to a running gateway the way a client does. */
export class ApiDriver {
  constructor(readonly baseUrl: string) {}

  async request<T = any>(
    method: string,
    path: string,
    token: string | null,
    body?: FormData | string,
    headers: Record<string, string> = {},
  ): Promise<Answer<T>> {
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      body,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text.length > 0)
      parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: parsed as T, text, bytes };
  }

  get<T = any>(path: string, token: string | null): Promise<Answer<T>> {
    return this.request<T>('GET', path, token);
  }

  /** A request with a JSON body. */
  send<T = any>(
    method: string,
    path: string,
    token: string | null,
    body: unknown,
  ): Promise<Answer<T>> {
    return this.request<T>(method, path, token, JSON.stringify(body), {
      'content-type': 'application/json',
    });
  }

  /** `POST /v1/jobs`, with the fields in the order a browser or curl sends them. */
  submit(
    token: string | null,
    object: string | null,
    file: Upload | null,
    options: { mode?: string; idempotencyKey?: string } = {},
  ): Promise<Answer<JobView>> {
    const form = new FormData();
    if (object !== null) form.append('object', object);
    if (options.mode) form.append('mode', options.mode);
    if (file)
      form.append(
        'file',
        new Blob([
          typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content,
        ]),
        file.name,
      );
    return this.request<JobView>(
      'POST',
      '/v1/jobs',
      token,
      form,
      options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {},
    );
  }

  /** Waits until a job reaches a final status and answers it. */
  async finished(token: string, jobId: string, timeoutMs = 60_000): Promise<JobView> {
    return waitFor(
      `job ${jobId} to finish`,
      async () => {
        const answer = await this.get<JobView>(`/v1/jobs/${jobId}`, token);
        return FINAL_JOB_STATUSES.includes(answer.body.status) ? answer.body : undefined;
      },
      timeoutMs,
      100,
    );
  }

  /** A GET whose body is kept as bytes (exports, zips), for byte-exact assertions. */
  async download(
    path: string,
    token: string | null,
  ): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
    const response = await fetch(new URL(path, this.baseUrl), {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return {
      status: response.status,
      headers: response.headers,
      bytes: Buffer.from(await response.arrayBuffer()),
    };
  }

  /** Submits and waits; fails the test if the submission was refused. */
  async run(
    token: string,
    object: string,
    file: Upload,
    options: { mode?: string } = {},
  ): Promise<JobView> {
    const answer = await this.submit(token, object, file, options);
    if (answer.status !== 202)
      throw new Error(`submission refused: ${answer.status} ${answer.text}`);
    return this.finished(token, answer.body.id);
  }

  /** The error report of a job, parsed into rows of cells (BOM removed). */
  async errorRows(token: string, jobId: string): Promise<string[][]> {
    const answer = await this.get(`/v1/jobs/${jobId}/errors`, token);
    return parseCsv(answer.text.replace(/^\uFEFF/, ''));
  }
}

/** A small RFC 4180 parser for assertions on CSV answers. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
