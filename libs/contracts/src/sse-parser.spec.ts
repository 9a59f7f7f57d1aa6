import { SseParser } from './sse-parser';

describe('SseParser', () => {
  it('answers complete events only, across chunk boundaries, and skips heartbeats', () => {
    const parser = new SseParser();
    expect(parser.push('retry: 2000\n\n: heartbeat\n\nid: 7\nevent: progress\nda')).toEqual([]);
    expect(parser.retryMs).toBe(2000);
    expect(
      parser.push('ta: {"a":1}\n\nid: 8\r\nevent: final\r\ndata: x\r\ndata: y\r\n\r\n'),
    ).toEqual([
      { id: '7', event: 'progress', data: '{"a":1}' },
      { id: '8', event: 'final', data: 'x\ny' },
    ]);
  });

  it('names an event without a type "message" and ignores blocks without data', () => {
    const parser = new SseParser();
    expect(parser.push('id: 3\n\ndata:plain\n\n')).toEqual([
      { id: null, event: 'message', data: 'plain' },
    ]);
  });
});
