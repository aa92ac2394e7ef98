import type { Response } from 'express';
import type { ErrorCode } from '../../flows';
import { sendProblem } from '../http';

/** Direct Line's own refusals; their codes live in the shared catalogue (flows/errors.ts). */
export type DirectLineErrorCode = Extract<ErrorCode, `SG-DL-${string}`>;

export function sendDirectLineProblem(res: Response, code: DirectLineErrorCode, detail: string): void {
  if (code === 'SG-DL-UNAUTHENTICATED') res.set('WWW-Authenticate', 'Bearer');
  sendProblem(res, code, detail);
}
