/** Exit codes of `shopkit-sync`, documented in the README. */
export const EXIT = {
  ok: 0,
  /** The command ran and failed: an API refused, a workflow failed, a mismatch was found. */
  failure: 1,
  /** Invalid configuration or usage; nothing was attempted. */
  usage: 2,
  /** Temporal could not be reached. */
  unavailable: 3,
} as const;

/** Error a command throws to end with a message and a chosen exit code, without a stack trace. */
export class CliExit extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
