import advice from './advice.json';
import core from './core.json';
import insights from './insights.json';
import referral from './referral.json';
import routes from './routes.json';
import notifications from './notifications.json';
import screening from './screening.json';
import service from './service.json';
import sharing from './sharing.json';
import sources from './sources.json';

/**
 * The Gloucestershire pack, one JSON part per flow so that each flow's words are edited in one place.
 * `core` carries the pack's id and version; `sources` is the source register every text cites; the other parts add messages, questions, intents
 * and contacts (a key defined twice is an error at load); `service` holds the words the channel and server code
 * say (apologies, cards, pages).
 */
export const gloucestershireParts: Array<{ file: string; json: unknown }> = [
  { file: 'flows/content/gloucestershire/core.json', json: core },
  { file: 'flows/content/gloucestershire/sources.json', json: sources },
  { file: 'flows/content/gloucestershire/screening.json', json: screening },
  { file: 'flows/content/gloucestershire/sharing.json', json: sharing },
  { file: 'flows/content/gloucestershire/advice.json', json: advice },
  { file: 'flows/content/gloucestershire/referral.json', json: referral },
  { file: 'flows/content/gloucestershire/routes.json', json: routes },
  { file: 'flows/content/gloucestershire/notifications.json', json: notifications },
  { file: 'flows/content/gloucestershire/insights.json', json: insights },
  { file: 'flows/content/gloucestershire/service.json', json: service },
];
