import type { StatusEnv } from '../status.env';

type BackoffEnv = Pick<
  StatusEnv,
  'statusWebhookBackoffBaseMs' | 'statusWebhookBackoffMaxMs' | 'statusWebhookRetryForMs'
>;

/**
 * When a delivery whose attempt number `attempt` just failed is tried again: the base wait doubled
 * per earlier failure, capped, or null once that would fall past the retry window (a day after the
 * delivery was created by the job's end), when it is given up.
 */
export function nextAttemptAt(
  createdAt: Date,
  attempt: number,
  now: Date,
  env: BackoffEnv,
): Date | null {
  const wait = Math.min(
    env.statusWebhookBackoffMaxMs,
    env.statusWebhookBackoffBaseMs * 2 ** Math.min(attempt - 1, 30),
  );
  const at = now.getTime() + wait;
  return at - createdAt.getTime() > env.statusWebhookRetryForMs ? null : new Date(at);
}
