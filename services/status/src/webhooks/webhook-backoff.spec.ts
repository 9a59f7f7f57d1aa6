import { nextAttemptAt } from './webhook-backoff';

describe('nextAttemptAt', () => {
  const env = {
    statusWebhookBackoffBaseMs: 30_000,
    statusWebhookBackoffMaxMs: 3_600_000,
    statusWebhookRetryForMs: 86_400_000,
  };
  const created = new Date('2026-01-01T00:00:00.000Z');
  const after = (ms: number) => new Date(created.getTime() + ms);

  it('doubles the wait after each failed attempt', () => {
    expect(nextAttemptAt(created, 1, created, env)).toEqual(after(30_000));
    expect(nextAttemptAt(created, 2, created, env)).toEqual(after(60_000));
    expect(nextAttemptAt(created, 5, created, env)).toEqual(after(480_000));
  });

  it('never waits longer than the maximum', () => {
    expect(nextAttemptAt(created, 12, created, env)).toEqual(after(3_600_000));
    expect(nextAttemptAt(created, 500, created, env)).toEqual(after(3_600_000));
  });

  it('gives up once the next attempt would fall more than a day after the delivery was created', () => {
    expect(nextAttemptAt(created, 30, after(86_400_000 - 3_600_000), env)).toEqual(
      after(86_400_000),
    );
    expect(nextAttemptAt(created, 30, after(86_400_000 - 3_599_999), env)).toBeNull();
  });
});
