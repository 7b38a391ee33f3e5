import type { PublicJob } from "@llmr/core";
import { ErrorEnvelopeSchema, JobObjectSchema } from "@llmr/core";

/**
 * Reads an answer that must be a job object, and checks it against the job schema the OpenAPI
 * document is generated from: every job the e2e suite sees conforms to the published contract.
 */
export async function jobFrom(res: Response): Promise<PublicJob> {
  const body: unknown = await res.json();
  const parsed = JobObjectSchema.safeParse(body);
  if (!parsed.success) {
    throw new Error(
      `answer ${res.status} is not a job object as documented: ${parsed.error.message}\n${JSON.stringify(body)}`,
    );
  }
  return parsed.data;
}

/** Reads an error answer and checks it is the documented error envelope. */
export async function errorFrom(res: Response): Promise<{ type: string; message: string; param?: string }> {
  return ErrorEnvelopeSchema.parse(await res.json()).error;
}
