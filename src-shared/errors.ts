/**
 * The one error type that crosses the API boundary.
 *
 * Every failure a caller can see has a `code` (what kind of failure, which also fixes the HTTP status
 * in browser mode) and a message written for a person: it names the field, file, run or dataset at
 * fault. Transports serialise it as `{ error: { code, message } }` and rebuild it on the other side,
 * so UI code handles the same class whether it talks over IPC or HTTP.
 */

export const API_ERROR_STATUS = {
  /** The payload failed validation; nothing was changed. */
  invalid: 400,
  /** The payload was well-formed but refers to a run, dataset or file that does not exist. */
  'not-found': 404,
  /** No such API method. */
  'unknown-method': 404,
  /** The request is well-formed but conflicts with the current state (e.g. cancelling a finished run). */
  conflict: 409,
  /** The feature needs an engine that is not registered in this build (e.g. no training runner yet). */
  'not-implemented': 501,
  /** A bug or an environment failure; the message says what broke. */
  internal: 500,
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_STATUS;

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }

  get status(): number {
    return API_ERROR_STATUS[this.code];
  }

  toJSON(): { code: ApiErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }

  /** Rebuilds an ApiError from its wire form; anything unrecognised becomes an 'internal' error. */
  static fromWire(value: unknown, fallbackMessage = 'request failed'): ApiError {
    if (value && typeof value === 'object') {
      const { code, message } = value as { code?: unknown; message?: unknown };
      const text = typeof message === 'string' && message ? message : fallbackMessage;
      if (typeof code === 'string' && code in API_ERROR_STATUS) return new ApiError(code as ApiErrorCode, text);
      return new ApiError('internal', text);
    }
    if (typeof value === 'string' && value) return new ApiError('internal', value);
    return new ApiError('internal', fallbackMessage);
  }
}
