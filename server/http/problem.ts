import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { DomainError, errorCatalogue, type ErrorCode } from '../../flows';
import type { Logger } from '../logger';

/** RFC 9457 problem details; `type` is a stable URN per error code. */
export function sendProblem(res: Response, code: ErrorCode, detail?: string): void {
  const { status, title } = errorCatalogue[code];
  res
    .status(status)
    .type('application/problem+json')
    .json({ type: `urn:safeguarding-bot:error:${code}`, title, status, code, ...(detail ? { detail } : {}) });
}

export const notFound: RequestHandler = (req, res) => sendProblem(res, 'SG-HTTP-NOT-FOUND', `${req.method} ${req.path} is not a route here`);

/** Body-parser errors carry a `type`; map them to codes instead of leaking a stack trace. */
function codeOf(error: unknown): ErrorCode {
  if (error instanceof DomainError) return error.code;
  const type = (error as { type?: string }).type;
  if (type === 'entity.too.large') return 'SG-HTTP-BODY-TOO-LARGE';
  if (type === 'entity.parse.failed') return 'SG-HTTP-BAD-JSON';
  if (typeof (error as { status?: number }).status === 'number' && (error as { status: number }).status < 500) return 'SG-HTTP-BAD-REQUEST';
  return 'SG-INTERNAL';
}

export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const code = codeOf(error);
    if (errorCatalogue[code].status >= 500) logger.error({ err: error, path: req.path, code }, 'request failed');
    else logger.warn({ path: req.path, code }, 'request refused');
    if (res.headersSent) return;
    const limit = (error as { limit?: unknown }).limit;
    sendProblem(res, code, code === 'SG-HTTP-BODY-TOO-LARGE' ? `The limit is ${typeof limit === 'number' ? Math.round(limit / 1024) : 256} kB.` : undefined);
  };
}
