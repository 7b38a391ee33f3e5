/**
 * Reads of bull-board's JSON API (`/admin/queues/api/*`) with the operator token, as a script
 * would. The e2e tests read BullMQ's state this way rather than from Redis keys, so they run on a
 * Redis Cluster too.
 */

/** A BullMQ job as bull-board reports it: its state and the fields the tests look at. */
export interface BullJobState {
  /** BullMQ's state: `waiting`, `active`, `completed`, `failed`, … */
  status: string;
  job: { failedReason?: string; returnValue?: unknown; attempts?: number };
}

async function getJson<T>(url: string, operatorToken: string): Promise<T> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${operatorToken}` } });
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** The state of BullMQ job `jobId` of queue `queue` (its full name, e.g. `{fast-interactive}`). */
export function bullJob(
  apiUrl: string,
  operatorToken: string,
  queue: string,
  jobId: string,
): Promise<BullJobState> {
  const url = `${apiUrl}/admin/queues/api/queues/${encodeURIComponent(queue)}/${encodeURIComponent(jobId)}`;
  return getJson<BullJobState>(url, operatorToken);
}

/** How many jobs `queue` holds, in any state. */
export async function jobsInQueue(apiUrl: string, operatorToken: string, queue: string): Promise<number> {
  const { queues } = await getJson<{ queues: Array<{ name: string; counts: Record<string, number> }> }>(
    `${apiUrl}/admin/queues/api/queues`,
    operatorToken,
  );
  const counts = queues.find((candidate) => candidate.name === queue)?.counts ?? {};
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}
