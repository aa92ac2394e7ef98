import { resolve } from 'node:path';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { insights, serviceWordsOf, type ContentPack, type ServiceWords } from '../../flows';
import type { PartnershipInsights } from '../services/partnershipInsights';
import type { WebSessions } from '../auth';
import type { Logger } from '../logger';
import { sendProblem } from '../http';
import { createSsoRequests, type TeamsSsoVerifier } from '../tabs';
import { insightsCss } from './assets';
import { insightsCsv } from './csv';
import { insightsHeaders } from './headers';
import { insightsErrorPage, insightsPage } from './page';
import { parseInsightsQuery, type InsightsQuery } from './query';

export interface InsightsRoutesOptions {
  /** The report the page, the CSV and the API share (`server/services/partnershipInsights.ts`). */
  insights: PartnershipInsights;
  pack: ContentPack;
  sessions: WebSessions;
  /** Teams SSO (teamsSsoFrom): the API and CSV then also take the token as a bearer. Absent: session only. */
  sso?: TeamsSsoVerifier;
  logger: Logger;
  /** Where `npm run build` puts the chart bundle; the default is dist/insights beside the compiled server. */
  bundleDir?: string;
}

type Handler = (req: Request, res: Response, query: InsightsQuery) => Promise<void>;
type BadQuery = (req: Request, res: Response, detail: string) => void;

/** Parses `?from=&to=` first: a bad range never reaches the audit log. */
const withQuery = (handler: Handler, onBadQuery: BadQuery) => async (req: Request, res: Response) => {
  const parsed = parseInsightsQuery(req.query);
  if (!parsed.ok) return onBadQuery(req, res, parsed.detail);
  await handler(req, res, parsed.value);
};

const problem: BadQuery = (_req, res, detail) => sendProblem(res, 'SG-HTTP-BAD-REQUEST', detail);

/** The page again with the dates as typed (cut short, escaped) and what is wrong with them. */
const pageProblem =
  (words: ServiceWords): BadQuery =>
  (req, res, detail) => {
    const typed = (value: unknown) => (typeof value === 'string' ? value.slice(0, 20) : '');
    res
      .status(400)
      .type('html')
      .send(insightsErrorPage(words, typed(req.query.from), typed(req.query.to), words('insights-check-dates', { detail }), insights.suppressionRule));
  };

function assetRoutes(router: Router, bundleDir: string): void {
  router.get('/insights/assets/insights.css', insightsHeaders, (_req, res) => {
    res.set('Cache-Control', 'no-cache').type('text/css; charset=utf-8').send(insightsCss);
  });
  router.get('/insights/assets/insights.js', insightsHeaders, (_req, res, next) => {
    res.sendFile('insights.js', { root: bundleDir, headers: { 'Cache-Control': 'no-cache', 'Content-Type': 'text/javascript; charset=utf-8' } }, (err) => {
      if (err) next();
    });
  });
}

/**
 * The page shell holds no figures. Framed (a Teams tab, where our SameSite=Strict cookie never arrives)
 * and without a session, it is served to anyone: its script signs in with Teams SSO and the API checks
 * the role. At top level, or with a session, the role gate decides as before (sign-in redirect, 403).
 */
const shellGate =
  (sessions: WebSessions, allowed: RequestHandler): RequestHandler =>
  async (req, res, next) =>
    req.get('sec-fetch-dest') === 'iframe' && !(await sessions.current(req)) ? next() : allowed(req, res, next);

/**
 * Partnership insight (issue 11): `/insights` (the page shell; its script draws the charts and tables), `/insights/export.csv` and
 * `/api/insights`, all for partnership leads and coordinators, all from the same suppressed report.
 */
export function createInsightsRoutes(options: InsightsRoutesOptions): Router {
  const { pack, sessions, sso, logger } = options;
  const words = serviceWordsOf(pack);
  const roles = ['partnership-lead', 'coordinator'] as const;
  // Data routes: the session or a Teams SSO bearer, the same roles (from configuration) either way.
  const allowed = createSsoRequests({ sessions, sso, logger, area: 'insights' }).requireRole(...roles);
  const router = express.Router();

  const report = (query: InsightsQuery) => options.insights.report(query);

  router.get(
    '/insights',
    insightsHeaders,
    shellGate(sessions, sessions.requireRole(...roles)),
    withQuery(async (_req, res, query) => {
      res.type('html').send(insightsPage(words, query.from, query.to, insights.suppressionRule));
    }, pageProblem(words)),
  );

  router.get(
    '/insights/export.csv',
    insightsHeaders,
    allowed,
    withQuery(async (_req, res, query) => {
      const csv = insightsCsv(await report(query));
      res.set('Content-Disposition', `attachment; filename="partnership-insight-${query.from}-to-${query.to}.csv"`);
      res.type('text/csv; charset=utf-8').send(csv);
    }, problem),
  );

  router.get(
    '/api/insights',
    insightsHeaders,
    allowed,
    withQuery(async (_req, res, query) => {
      res.json(await report(query));
    }, problem),
  );

  assetRoutes(router, options.bundleDir ?? resolve(__dirname, '..', '..', 'insights'));
  return router;
}
