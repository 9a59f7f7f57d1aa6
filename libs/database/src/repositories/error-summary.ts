/** How many of a job's most frequent row-error messages its view lists. */
export const ERROR_SUMMARY_SIZE = 10;

/**
 * SQL for the most frequent row-error messages of one job as a JSON array, most frequent first.
 * `jobId` and `orgId` are SQL expressions (a parameter, or a column of the enclosing statement).
 * A finished job stores it once (its row errors never change) instead of counting on every read.
 */
export function errorSummarySql(jobId: string, orgId: string): string {
  return `(SELECT coalesce(json_agg(json_build_object('message', s.message, 'count', s.count)
                               ORDER BY s.count DESC, s.message), '[]')::jsonb
     FROM (SELECT message, count(*)::int AS count FROM row_error
            WHERE organization_id = ${orgId} AND job_id = ${jobId}
            GROUP BY message ORDER BY count(*) DESC, message LIMIT ${ERROR_SUMMARY_SIZE}) s)`;
}
