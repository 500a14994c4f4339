/**
 * The audit trail's index by day: each record also carries `day` = `YYYY-MM-DD#<shard>`, so the
 * records of a time range are a few queries instead of a scan of every run. The shard spreads one
 * day's writes over several index partitions, so a busy day cannot throttle the audit writes
 * (an index partition takes about 1,000 writes a second).
 */
export const AUDIT_DAY_SHARDS = 4;

/** The shard of a record: from its attempt id, so the same attempt always lands on the same one. */
const shardOf = (attemptId: string): number => {
  let sum = 0;
  for (let i = 0; i < attemptId.length; i++) sum = (sum + attemptId.charCodeAt(i)) % AUDIT_DAY_SHARDS;
  return sum;
};

/** The index key of a record started at `at` (ISO-8601). */
export const auditDayKey = (at: string, attemptId: string): string => `${at.slice(0, 10)}#${shardOf(attemptId)}`;

/** Every index key that may hold a record between two times (UTC days, every shard). */
export const auditDayKeys = (from: Date, to: Date): string[] => {
  const keys: string[] = [];
  const day = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  for (; day.getTime() <= to.getTime(); day.setUTCDate(day.getUTCDate() + 1))
    for (let shard = 0; shard < AUDIT_DAY_SHARDS; shard++) keys.push(`${day.toISOString().slice(0, 10)}#${shard}`);
  return keys;
};
