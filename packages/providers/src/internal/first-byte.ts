/** What both SDKs' `APIPromise` offer: the parsed answer, or the raw `Response` once its headers are in. */
export interface SdkCall<T> extends PromiseLike<T> {
  asResponse(): Promise<unknown>;
}

/**
 * Awaits an SDK call and measures its time to first byte: from now until the response's status
 * and headers arrived (the SDK's `fetch` resolved), before the body was read. The parse is started
 * before the raw response is asked for, so the SDK treats the call as parsed (its tracing ends the
 * call's span with the body, not without it). Both read the one HTTP response: no second request.
 */
export async function withFirstByte<T>(call: SdkCall<T>): Promise<{ data: T; firstByteMs: number }> {
  const startedAt = performance.now();
  const answer = Promise.resolve(call);
  // An error answer rejects both; `answer` carries it to the caller, so this one is silenced.
  const headersAt = call.asResponse().then(
    () => performance.now(),
    () => undefined,
  );
  const data = await answer;
  const at = (await headersAt) ?? performance.now();
  return { data, firstByteMs: Math.max(0, at - startedAt) };
}
