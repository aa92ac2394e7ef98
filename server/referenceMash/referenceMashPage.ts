import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { signMashEvent } from '../../integrations';
import type { MashReferral, ReferenceMashStore } from './referenceMashStore';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const eventFormSchema = z.object({
  referralId: z.string().min(1),
  type: z.enum(['referral.acknowledged', 'referral.decision', 'referral.info-requested']),
  outcome: z.enum(['nfa', 'early-help', 'assessment', 'strategy-discussion', 'police']).optional(),
  note: z.string().max(2000).optional(),
  question: z.string().max(5000).optional(),
});

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

function referralRow(r: MashReferral): string {
  const history = r.history.map((h) => `<li>${escapeHtml(h.at)}: ${escapeHtml(h.what)}</li>`).join('');
  return `<section aria-labelledby="r-${escapeHtml(r.referralId)}"><h2 id="r-${escapeHtml(r.referralId)}">${escapeHtml(r.reference)} (${escapeHtml(r.status)})</h2>
<p>Received ${escapeHtml(r.receivedAt)}; urgency ${escapeHtml(r.urgency)}; screening category ${r.category}; child ${escapeHtml(r.childInitial)}., age ${escapeHtml(r.age)}; our reference for the referrer: ${escapeHtml(r.clientReference)}</p>
<p>${escapeHtml(r.summary)}</p><ul>${history}</ul>
<form method="post" action="/mash/events"><input type="hidden" name="referralId" value="${escapeHtml(r.referralId)}">
<label>Event <select name="type"><option value="referral.acknowledged">Acknowledge</option><option value="referral.decision">Decision</option><option value="referral.info-requested">Ask the referrer a question</option></select></label>
<label>Decision <select name="outcome"><option value="">(for a decision)</option><option>nfa</option><option>early-help</option><option>assessment</option><option>strategy-discussion</option><option>police</option></select></label>
<label>Note <input name="note" maxlength="2000"></label> <label>Question <input name="question" maxlength="5000"></label>
<button type="submit">Send event</button></form></section>`;
}

/**
 * `/mash`: what a MASH worker would see of what arrived, and a form that sends status events back to
 * the service's webhook, signed like the real MASH. Local tooling: the login is the reference MASH's
 * bearer token, the session an HttpOnly SameSite=Strict cookie; no scripts, everything escaped.
 */
export function referenceMashPage(options: { store: ReferenceMashStore; token: string; webhook: { url: string; secret: string }; logger: Logger; now: () => Date }): Router {
  const { store, logger } = options;
  const router = express.Router();
  const session = createHmac('sha256', options.token).update('reference-mash-session').digest('hex');
  router.use((_req, res, next) => {
    res.set('Content-Security-Policy', "default-src 'none'; form-action 'self'; frame-ancestors 'none'");
    res.set('X-Content-Type-Options', 'nosniff');
    next();
  });
  router.use(express.urlencoded({ extended: false, limit: '64kb' }));
  const signedIn = (req: Request) => {
    const cookie = /(?:^|;\s*)mash_session=([0-9a-f]{64})/.exec(req.get('cookie') ?? '')?.[1];
    return cookie !== undefined && timingSafeEqual(Buffer.from(cookie), Buffer.from(session));
  };
  const loginForm = (error = '') =>
    page('Reference MASH (local)', `${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}<form method="post" action="/mash/login"><label>Access token <input type="password" name="token" autocomplete="off" required></label> <button type="submit">Sign in</button></form><p>The token is in DATA_DIR/reference-mash.token.</p>`);

  router.get('/', async (req, res) => {
    if (!signedIn(req)) return res.type('html').send(loginForm());
    const referrals = await store.listReferrals();
    res.type('html').send(page('Reference MASH (local): referrals received', referrals.length ? referrals.map(referralRow).join('') : '<p>No referrals yet.</p>'));
  });

  router.post('/login', (req: Request, res: Response) => {
    const given = String((req.body as { token?: unknown })?.token ?? '');
    const ok = given.length === options.token.length && timingSafeEqual(Buffer.from(given), Buffer.from(options.token));
    if (!ok) return res.status(401).type('html').send(loginForm('That token is not right.'));
    res.cookie('mash_session', session, { httpOnly: true, sameSite: 'strict', path: '/mash' }).redirect(303, '/mash');
  });

  router.post('/events', async (req, res) => {
    if (!signedIn(req)) return res.status(401).type('html').send(loginForm());
    const form = eventFormSchema.safeParse(Object.fromEntries(Object.entries(req.body ?? {}).filter(([, v]) => v !== '')));
    const referral = form.success ? await store.getReferral(form.data.referralId) : undefined;
    if (!form.success || !referral) return res.status(400).type('html').send(page('Event not sent', '<p>The form was incomplete. <a href="/mash">Back</a></p>'));
    const { type, outcome, note, question } = form.data;
    if ((type === 'referral.decision' && !outcome) || (type === 'referral.info-requested' && !question)) {
      return res.status(400).type('html').send(page('Event not sent', '<p>A decision needs an outcome; a question needs its text. <a href="/mash">Back</a></p>'));
    }
    const occurredAt = options.now().toISOString();
    const event = {
      eventId: randomUUID(), occurredAt, type, referralId: referral.referralId, reference: referral.reference, clientReference: referral.clientReference,
      ...(type === 'referral.decision' ? { decision: { outcome: outcome!, ...(note ? { note } : {}) } } : {}),
      ...(type === 'referral.info-requested' ? { question: question! } : {}),
    };
    const body = JSON.stringify(event);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const status = await fetch(options.webhook.url, {
      method: 'POST', body,
      headers: { 'content-type': 'application/json', 'x-mash-timestamp': timestamp, 'x-mash-signature': signMashEvent(body, timestamp, options.webhook.secret) },
    }).then((r) => r.status, () => 0);
    logger.info({ type, status }, 'reference MASH sent an event');
    const nextStatus = type === 'referral.acknowledged' ? 'acknowledged' : type === 'referral.decision' ? 'decided' : 'info-requested';
    await store.updateReferral(referral.referralId, (r) => ({
      ...r, status: nextStatus, ...(event.decision ? { decision: event.decision } : {}),
      history: [...r.history, { at: occurredAt, what: `${type} sent (webhook answered ${status || 'no connection'})` }],
    }));
    res.redirect(303, '/mash');
  });
  return router;
}
