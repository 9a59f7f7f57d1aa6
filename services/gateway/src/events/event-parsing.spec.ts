import { sessionIdOf } from '../admin/admin-sessions';
import { parseJobChange } from './job-change-listener';
import { parseLastEventId } from './last-event-id';

describe('parsing what the event streams receive', () => {
  it('reads a job change notification and ignores anything else', () => {
    expect(parseJobChange('o-1,j-1,42')).toEqual({ orgId: 'o-1', jobId: 'j-1', seq: 42 });
    expect(parseJobChange('o-1,j-1,forty-two')).toBeNull();
    expect(parseJobChange('o-1')).toBeNull();
    expect(parseJobChange(undefined)).toBeNull();
  });

  it('accepts a Last-Event-ID of ours, no header, and refuses anything else with a sentence', () => {
    expect(parseLastEventId('17')).toBe(17);
    expect(parseLastEventId(' 17 ')).toBe(17);
    expect(parseLastEventId(undefined)).toBeNull();
    expect(parseLastEventId('')).toBeNull();
    expect(() => parseLastEventId('-1')).toThrow(/Last-Event-ID '-1' is not an id of this stream/);
    expect(() => parseLastEventId('9'.repeat(16))).toThrow(/not an id of this stream/);
  });

  it("finds the queue board's session cookie among others", () => {
    expect(sessionIdOf('a=1; bulkops_admin_session=abc_-9; b=2')).toBe('abc_-9');
    expect(sessionIdOf('bulkops_admin_session=')).toBeNull();
    expect(sessionIdOf('other=bulkops_admin_session')).toBeNull();
    expect(sessionIdOf(undefined)).toBeNull();
  });
});
