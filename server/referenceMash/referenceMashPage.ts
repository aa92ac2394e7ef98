import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { z } from 'zod';
import { decisionOutcomes, type MashEvent } from '../../flows';
import type { Logger } from '../logger';
import { sameOrigin } from '../http';
import { mashEventOf, type EventDraft, type EventSender } from './mashEventSender';
import type { PageSession } from './pageSession';
import { delivered, loginPage, messagePage, referralsPage, type PageContext } from './pageViews';
import type { Delivery, EventEntry, MashReferral } from './referenceMashRecords';
import type { ReferenceMashStore } from './referenceMashStore';

export interface ReferenceMashPageOptions {
  store: ReferenceMashStore;
  session: PageSession;
  sender: EventSender;
  logger: Logger;
  now: () => Date;
}

/** The page shows the newest referrals; older ones stay stored and answerable through the API. */
const shownOnPage = 50;

const referralId = z.string().min(1).max(200);
const eventFormSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('referral.acknowledged'), referralId }),
  z.object({ type: z.literal('referral.decision'), referralId, outcome: z.enum(decisionOutcomes), note: z.string().max(5000).optional() }),
  z.object({ type: z.literal('referral.info-requested'), referralId, question: z.string().min(1).max(5000) }),
]);
const resendFormSchema = z.object({ referralId, eventId: z.string().min(1).max(200) });

/** Form fields as strings, trimmed, with empty ones dropped (an empty optional note is no note). */
function formOf(req: Request): Record<string, string> {
  const body: unknown = req.body;
  if (!body || typeof body !== 'object') return {};
  const entries = Object.entries(body).flatMap(([k, v]) => (typeof v === 'string' && v.trim() ? [[k, v.trim()] as const] : []));
  return Object.fromEntries(entries);
}

function draftOf(form: z.infer<typeof eventFormSchema>): EventDraft {
  if (form.type === 'referral.decision') return { type: form.type, decision: { outcome: form.outcome, ...(form.note ? { note: form.note } : {}) } };
  if (form.type === 'referral.info-requested') return { type: form.type, question: form.question };
  return { type: form.type };
}

/** A decision is final: a later acknowledgement or question does not make the referral look undecided. */
function statusAfter(referral: MashReferral, event: MashEvent): MashReferral['status'] {
  if (event.type === 'referral.decision' || referral.status === 'decided') return 'decided';
  return event.type === 'referral.acknowledged' ? 'acknowledged' : 'info-requested';
}

const securityHeaders: RequestHandler = (_req, res, next) => {
  // No scripts or styles at all; forms may only post back here; nothing may frame the page.
  res.set('Content-Security-Policy', "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  res.set('X-Content-Type-Options', 'nosniff');
  res.set('Referrer-Policy', 'no-referrer');
  // The page shows concerns about children: no copy in any cache.
  res.set('Cache-Control', 'no-store');
  next();
};

function noticeFor(referrals: MashReferral[], eventId: unknown): string | undefined {
  if (typeof eventId !== 'string') return undefined;
  for (const r of referrals) {
    const entry = r.history.find((h): h is EventEntry => h.kind === 'event' && h.event.eventId === eventId);
    if (!entry) continue;
    const last = entry.deliveries.at(-1);
    const result = last?.status !== undefined ? `the webhook answered ${last.status}` : `it was not delivered (${last?.failure ?? 'not sent'})`;
    return `${entry.event.type} for ${r.reference}: ${result}${delivered(entry) ? '.' : '. You can send it again from the history.'}`;
  }
  return undefined;
}

/**
 * `/mash`: what a MASH worker sees of the referrals that arrived, and forms that send the status
 * events of the contract to the service's webhook, signed as the partnership's MASH would. Plain
 * server-rendered HTML: no scripts, every value escaped, every control labelled.
 */
export function referenceMashPage({ store, session, sender, logger, now }: ReferenceMashPageOptions): Router {
  const router = express.Router();
  router.use(securityHeaders);
  // Login CSRF and cross-site posts refused like every other form (its own CSRF token guards signed-in posts too).
  router.use((req, res, next) => (req.method === 'POST' ? sameOrigin(req, res, next) : next()));
  router.use(express.urlencoded({ extended: false, limit: '64kb' }));
  const send = (res: Response, status: number, page: string) => res.status(status).type('html').send(page);
  const contextOf = (req: Request, s: string): PageContext => ({ base: req.baseUrl, csrf: session.csrfOf(s) });

  /** The session of a signed-in POST with a valid CSRF token; otherwise answers and returns undefined. */
  function guardedPost(req: Request, res: Response): string | undefined {
    const s = session.sessionOf(req);
    if (!s) return void send(res, 401, loginPage(req.baseUrl, 'Your session has ended: sign in again.'));
    if (!session.validCsrf(s, formOf(req).csrf)) return void send(res, 403, messagePage('Not sent', 'The form was out of date: nothing was sent.', req.baseUrl, contextOf(req, s)));
    return s;
  }

  /** Delivers an event and records the attempt on the referral, so the page shows what the webhook said. */
  async function deliverAndRecord(referral: MashReferral, event: MashEvent): Promise<Delivery> {
    const delivery = await sender.deliver(event);
    await store.updateReferral(referral.referralId, (r) => ({
      ...r,
      history: r.history.map((h) => (h.kind === 'event' && h.event.eventId === event.eventId ? { ...h, deliveries: [...h.deliveries, delivery] } : h)),
    }));
    logger.info({ reference: referral.reference, eventId: event.eventId, type: event.type, status: delivery.status, failure: delivery.failure }, 'reference MASH sent an event');
    return delivery;
  }

  router.get('/', async (req, res) => {
    const s = session.sessionOf(req);
    if (!s) return send(res, 200, loginPage(req.baseUrl));
    const [referrals, intelligence] = await Promise.all([store.listReferrals(shownOnPage), store.listIntelligence(shownOnPage)]);
    send(res, 200, referralsPage(referrals, intelligence, contextOf(req, s), noticeFor(referrals, req.query.sent)));
  });

  router.post('/login', (req, res) => {
    if (!session.checkToken(formOf(req).token ?? '')) return send(res, 401, loginPage(req.baseUrl, 'That is not the access token.'));
    session.start(req, res);
    res.redirect(303, req.baseUrl || '/');
  });

  router.post('/logout', (req, res) => {
    if (!guardedPost(req, res)) return;
    session.end(req, res);
    res.redirect(303, req.baseUrl || '/');
  });

  router.post('/events', async (req, res) => {
    const s = guardedPost(req, res);
    if (!s) return;
    const form = eventFormSchema.safeParse(formOf(req));
    const back = (text: string) => send(res, 400, messagePage('Not sent', text, req.baseUrl, contextOf(req, s)));
    if (!form.success) return back('A decision needs an outcome and a question needs its text: nothing was sent.');
    const referral = await store.getReferral(form.data.referralId);
    if (!referral) return back('That referral is not here any more: nothing was sent.');
    const at = now();
    const event = mashEventOf(referral, draftOf(form.data), at);
    // Recorded before it is sent: if the service stops mid-send, the page still shows it and offers a resend.
    const updated = await store.updateReferral(referral.referralId, (r) => ({
      ...r,
      status: statusAfter(r, event),
      ...(event.type === 'referral.decision' ? { decision: event.decision } : {}),
      history: [...r.history, { kind: 'event', at: at.toISOString(), event, deliveries: [] }],
    }));
    await deliverAndRecord(updated, event);
    res.redirect(303, `${req.baseUrl}?sent=${encodeURIComponent(event.eventId)}#referral-${encodeURIComponent(referral.referralId)}`);
  });

  router.post('/events/resend', async (req, res) => {
    const s = guardedPost(req, res);
    if (!s) return;
    const form = resendFormSchema.safeParse(formOf(req));
    const referral = form.success ? await store.getReferral(form.data.referralId) : undefined;
    const entry = referral?.history.find((h): h is EventEntry => h.kind === 'event' && h.event.eventId === form.data?.eventId);
    if (!referral || !entry) return send(res, 400, messagePage('Not sent', 'That event is not here any more: nothing was sent.', req.baseUrl, contextOf(req, s)));
    await deliverAndRecord(referral, entry.event);
    res.redirect(303, `${req.baseUrl}?sent=${encodeURIComponent(entry.event.eventId)}#referral-${encodeURIComponent(referral.referralId)}`);
  });

  return router;
}
