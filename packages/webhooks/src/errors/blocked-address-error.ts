import { WebhookError } from "./webhook-error.ts";

/**
 * A webhook connection was refused before it was opened: the host resolved to (or was) an address
 * that webhooks may not reach (loopback, private, link-local, ...). Retrying does not help, so a
 * delivery that meets it gives up at once.
 */
export class BlockedAddressError extends WebhookError {
  override readonly name = "BlockedAddressError";
  /** Node-style code, so it survives code that only looks at `error.code`. */
  readonly code = "ERR_WEBHOOK_BLOCKED_ADDRESS";
  /** The refused address, e.g. `127.0.0.1`. */
  readonly address: string;

  constructor(address: string, description: string, options?: { cause?: unknown }) {
    super(`refused to connect to ${address}, ${description}: webhooks only go to public addresses`, options);
    this.address = address;
  }
}
