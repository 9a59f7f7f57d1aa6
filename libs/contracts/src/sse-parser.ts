/** One Server-Sent Event. */
export interface ServerEvent {
  id: string | null;
  event: string;
  data: string;
}

/**
 * Incremental parser of a text/event-stream (the WHATWG format): feed it decoded text as it arrives
 * and it answers the complete events. Comments (heartbeats) are dropped; `retry:` is reported.
 */
export class SseParser {
  private buffer = '';
  retryMs: number | null = null;

  push(text: string): ServerEvent[] {
    this.buffer += text;
    const events: ServerEvent[] = [];
    for (;;) {
      const match = /\r\n\r\n|\n\n|\r\r/.exec(this.buffer);
      if (!match) break;
      const block = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const event = this.parseBlock(block);
      if (event) events.push(event);
    }
    return events;
  }

  private parseBlock(block: string): ServerEvent | null {
    let id: string | null = null;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r\n|\n|\r/)) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    }
    return data.length > 0 ? { id, event, data: data.join('\n') } : null;
  }
}
