/** What the report reads of a job object (CONTRACT.md, Jobs). */
export interface JobAttempt {
  n: number;
  tier: string;
  provider: string;
  model: string;
  outcome: string;
  usage?: { input_tokens: number; output_tokens: number } | null;
  cost_usd: number;
  /** The part of a long document this call summarized (map-reduce); absent for the job's own calls. */
  chunk?: { round: number; index: number; total: number };
}

export interface DemoJob {
  id: string;
  status: string;
  tier?: string;
  routing?: { initial_tier: string; reason: string };
  result?: { usage?: { input_tokens: number; output_tokens: number } | null } | null;
  attempts: JobAttempt[];
  cost_usd: number;
  /** A long document summarized in parts (map-reduce). */
  progress?: { phase: string; round: number; chunks_done: number; chunks_total: number };
}

/** What the report reads of the batch object. */
export interface DemoBatch {
  id: string;
  status: string;
  counts: { total: number; succeeded: number; failed: number; cancelled: number };
  cost_usd: number;
  created_at: string;
  finished_at: string | null;
}

/** Requests in flight at once: enough to be quick, few enough to stay under a per-key limit's burst. */
const CONCURRENCY = 8;
/** Used when a 429 carries no Retry-After. */
const DEFAULT_RETRY_AFTER_S = 1;
const MAX_TRIES = 30;

/** A small reader of the public API with the demo's key; 429s are waited out (a running system's per-key limit). */
export class ApiReader {
  private readonly apiUrl: string;
  private readonly apiKey: string;

  constructor(api: { apiUrl: string; apiKey: string }) {
    this.apiUrl = api.apiUrl;
    this.apiKey = api.apiKey;
  }

  getBatch(id: string): Promise<DemoBatch> {
    return this.get(`/v1/batches/${encodeURIComponent(id)}`) as Promise<DemoBatch>;
  }

  /** Every job, in the order given, `CONCURRENCY` requests at a time. */
  async getJobs(ids: readonly string[]): Promise<DemoJob[]> {
    const jobs: DemoJob[] = new Array(ids.length);
    let next = 0;
    const lane = async () => {
      while (next < ids.length) {
        const index = next++;
        jobs[index] = (await this.get(`/v1/jobs/${encodeURIComponent(ids[index] ?? "")}`)) as DemoJob;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, lane));
    return jobs;
  }

  private async get(path: string): Promise<unknown> {
    for (let tries = 1; ; tries++) {
      const response = await fetch(`${this.apiUrl}${path}`, {
        headers: { authorization: `Bearer ${this.apiKey}` },
      });
      if (response.ok) return response.json();
      if (response.status === 429 && tries < MAX_TRIES) {
        const waitS = Number(response.headers.get("retry-after")) || DEFAULT_RETRY_AFTER_S;
        await response.body?.cancel();
        await new Promise((resolve) => setTimeout(resolve, waitS * 1000));
        continue;
      }
      throw new Error(`GET ${path}: ${response.status} ${(await response.text()).slice(0, 300)}`);
    }
  }
}
