import { resolve } from 'node:path';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { ServiceWordKey, ServiceWords } from '../../flows';
import type { ProfessionalIdentity } from '../../integrations';
import type { WebSessions } from '../auth';
import { sameOrigin, sendProblem } from '../http';
import { pageSecurityHeaders } from '../webchat';
import { boardPage } from './boardPage';
import { createBoardEvents } from './boardEvents';
import type { Logger } from '../logger';
import type { ActionResult, Coordinator, CoordinatorTriage } from '../services/coordinatorTriage';

const idSchema = z.string().regex(/^[\w.-]{1,80}$/);
/** The question of an "ask": its messages are the pack's keys, turned into words where they are shown. */
const askSchema = z.object({ question: z.string().trim().min(1, 'board-question-required').max(1000, 'board-question-too-long') });
type AskProblem = 'board-question-required' | 'board-question-too-long';
type Verb = 'claim' | 'ask' | 'close';

function coordinatorOf(res: Response): Coordinator {
  const user = res.locals.user as ProfessionalIdentity;
  return { id: user.id, ...(user.name ? { name: user.name } : {}), ...(user.roles?.includes('partnership-lead') ? { lead: true } : {}) };
}

/**
 * What the board's status banner can say: a code in the redirect, the pack's words for it (pen test I5:
 * a link cannot put its own text on the board). `who` is read from the handoff when the page is drawn.
 */
const notices = {
  claimed: 'board-notice-claimed',
  asked: 'board-notice-asked',
  closed: 'board-notice-closed',
  taken: 'board-notice-taken',
  'not-yours': 'board-notice-not-yours',
  'is-closed': 'board-notice-is-closed',
  'not-found': 'board-notice-not-found',
  'question-empty': 'board-notice-question-empty',
  'question-long': 'board-notice-question-long',
} satisfies Record<string, ServiceWordKey>;
type NoticeCode = keyof typeof notices;

function outcomeCode(verb: Verb, result: ActionResult | { ok: boolean; reason?: string }): NoticeCode {
  if (result.ok) return ({ claim: 'claimed', ask: 'asked', close: 'closed' } as const)[verb];
  if (result.reason === 'taken' || result.reason === 'not-yours') return result.reason;
  return result.reason === 'closed' ? 'is-closed' : 'not-found';
}

function outcomeText(words: ServiceWords, verb: Verb, id: string, result: ActionResult | { ok: boolean; reason?: string; claimedBy?: string }): string {
  return words(notices[outcomeCode(verb, result)], { handoffId: id, who: ('claimedBy' in result && result.claimedBy) || words('board-another-coordinator') });
}

/** The banner for `?notice=<code>&handoff=<id>`: known codes only, else none. */
async function noticeOf(words: ServiceWords, service: CoordinatorTriage, query: Request['query']): Promise<string | undefined> {
  const code = typeof query.notice === 'string' && Object.hasOwn(notices, query.notice) ? (query.notice as NoticeCode) : undefined;
  const id = idSchema.safeParse(query.handoff);
  if (!code) return undefined;
  const handoffId = id.success ? id.data : '';
  const who = (handoffId && (await service.get(handoffId))?.claimedBy) || words('board-another-coordinator');
  return words(notices[code], { handoffId, who });
}

const noticeUrl = (code: NoticeCode, id: string) => `/coordinator?notice=${code}&handoff=${encodeURIComponent(id)}`;

type ParsedAction = { ok: true; id: string; verb: Verb; question?: string } | { ok: false; unknown: true } | { ok: false; unknown: false; problem: AskProblem };

/** The handoff id and verb from the path, and the question of an "ask" from the body (form or JSON alike). */
function parseAction(req: Request): ParsedAction {
  const id = idSchema.safeParse(req.params.id);
  const verb = z.enum(['claim', 'ask', 'close']).safeParse(req.params.verb);
  if (!id.success || !verb.success) return { ok: false, unknown: true };
  if (verb.data !== 'ask') return { ok: true, id: id.data, verb: verb.data };
  const ask = askSchema.safeParse(req.body ?? {});
  if (ask.success) return { ok: true, id: id.data, verb: verb.data, question: ask.data.question };
  // Anything but a question too long (no question, not a form or object) asks for the question.
  return { ok: false, unknown: false, problem: ask.error.issues[0].message === 'board-question-too-long' ? 'board-question-too-long' : 'board-question-required' };
}

async function act(service: CoordinatorTriage, verb: Verb, id: string, by: Coordinator, question?: string) {
  if (verb === 'claim') return service.claim(id, by);
  if (verb === 'ask') return service.ask(id, by, question ?? '');
  return service.close(id, by);
}

/**
 * The coordinator board (`/coordinator`, HTML forms) and its JSON API (`/api/handoffs`): coordinators only
 * (the role comes from COORDINATOR_IDS or the marked local sign-in). The same actions as the Teams card,
 * through the same service, so both stay in step.
 */
export interface BoardRoutesOptions {
  service: CoordinatorTriage;
  sessions: WebSessions;
  words: ServiceWords;
  logger: Logger;
  /** Where `npm run build` puts the board's script (default: dist/coordinator beside the compiled server). */
  bundleDir?: string;
  /** How often an open board's queue is read for its live update (default 2 s). */
  watchMs?: number;
}

export function createBoardRoutes({ service, sessions, words, logger, bundleDir, watchMs }: BoardRoutesOptions): Router {
  const router = express.Router();
  const coordinatorOnly = sessions.requireRole('coordinator');
  const page = pageSecurityHeaders({ frameableByTeams: false });
  const form = express.urlencoded({ extended: false, limit: '8kb' });
  const json = express.json({ limit: '8kb' });

  const events = createBoardEvents({ read: () => service.triaged(), logger, intervalMs: watchMs });
  const scripts = bundleDir ?? resolve(__dirname, '..', '..', 'coordinator');

  router.get('/coordinator', page, coordinatorOnly, async (req, res) => {
    res.type('html').send(boardPage(words, await service.triaged(), await noticeOf(words, service, req.query), new Date()));
  });

  // Live updates: the server says when the queue changed; the page fetches itself again (no polling loop there).
  router.get('/coordinator/events', coordinatorOnly, async (_req, res) => {
    await events.attach(res);
  });

  router.get('/coordinator/board.js', (_req, res, next) => {
    res.sendFile('board.js', { root: scripts, headers: { 'Cache-Control': 'no-cache', 'Content-Type': 'text/javascript; charset=utf-8' } }, (err) => {
      if (err) next();
    });
  });

  router.post('/coordinator/handoffs/:id/:verb', page, sameOrigin, coordinatorOnly, form, async (req: Request, res: Response) => {
    const action = parseAction(req);
    if (!action.ok && action.unknown) return sendProblem(res, 'SG-HTTP-NOT-FOUND', 'No such handoff action.');
    if (!action.ok) return res.redirect(303, noticeUrl(action.problem === 'board-question-required' ? 'question-empty' : 'question-long', String(req.params.id)));
    const result = await act(service, action.verb, action.id, coordinatorOf(res), action.question);
    res.redirect(303, noticeUrl(outcomeCode(action.verb, result), action.id));
  });

  router.get('/api/handoffs', coordinatorOnly, async (_req, res) => {
    res.json({ handoffs: await service.triaged() });
  });

  router.post('/api/handoffs/:id/:verb', sameOrigin, coordinatorOnly, json, async (req: Request, res: Response) => {
    const action = parseAction(req);
    if (!action.ok && action.unknown) return sendProblem(res, 'SG-HTTP-NOT-FOUND', 'No such handoff action.');
    if (!action.ok) return sendProblem(res, 'SG-HTTP-BAD-REQUEST', words(action.problem));
    const result = await act(service, action.verb, action.id, coordinatorOf(res), action.question);
    if (result.ok) return res.json({ handoff: await service.get(action.id) });
    const text = outcomeText(words, action.verb, action.id, result);
    if (result.reason === 'taken' || result.reason === 'not-yours') return sendProblem(res, 'SG-HANDOFF-TAKEN', text);
    return sendProblem(res, result.reason === 'closed' ? 'SG-HTTP-BAD-REQUEST' : 'SG-HTTP-NOT-FOUND', text);
  });

  return router;
}
