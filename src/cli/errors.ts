// Exit codes: 0 ok, 1 runtime failure, 2 bad input. A UsageError is always bad input and its
// message is one line naming the flag (or file) and what is allowed.
export class UsageError extends Error {
  override name = 'UsageError';
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
