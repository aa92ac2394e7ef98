import type { Request, Response } from 'express';
import type { ChannelAccount } from '@microsoft/agents-activity';
import type { ServiceWords } from '../../flows';
import type { ProfessionalIdentity, TranscriptActivity, TranscriptEntry, TranscriptStore } from '../../integrations';
import type { Logger } from '../logger';
import type { Caller, Gate } from './gate';
import type { TokenSession } from './tokens';

/** What the route handlers share; built once per `createDirectLine`. */
export interface DirectLineContext {
  transcripts: TranscriptStore;
  logger: Logger;
  /** The pack's words (the refusal of files is said to the professional). */
  words: ServiceWords;
  admit: Gate;
  /**
   * Applies the per-token and per-professional limits for posting or polling; false when over, with
   * `Retry-After` set and, unless `refuse` is false, the 429 sent.
   */
  withinLimit(res: Response, caller: Caller, what?: 'post' | 'poll', refuse?: boolean): Promise<boolean>;
  /** A fresh bearer token for the conversation, in Direct Line's response shape; never past the session's maximum age. */
  issue(conversationId: string, user: ProfessionalIdentity, session: TokenSession): { token: string; expires_in: number };
  streamUrl(req: Request, conversationId: string, user: ProfessionalIdentity, session: TokenSession, watermark?: number): string;
  /** A session for a caller with the secret (the server itself): it starts now. */
  newSession(): TokenSession;
  /** Tells live sockets that the transcript grew (with the new entries, when the caller has them). */
  appended(conversationId: string, entries?: TranscriptEntry[]): void;
  /** Runs the bot for an incoming activity (or the join); tracked so that `close()` can wait for it. */
  runTurn(incoming: TranscriptActivity | 'join', conversationId: string, user: ProfessionalIdentity): Promise<void>;
  closing(): boolean;
  bot: ChannelAccount;
  now(): Date;
}
