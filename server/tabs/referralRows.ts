import type { ProfessionalIdentity, ReferralTracking, WebNotification } from '../../integrations';

/** One row of the tab's table: status and MASH decision, never child details (the registry has none). */
export interface ReferralRow {
  clientReference: string;
  reference?: string;
  filedAt: string;
  channel: 'Teams' | 'Web chat' | 'Other';
  status: ReferralTracking['status'];
  decision?: string;
  latest?: { type: string; occurredAt: string };
  /** MARF answers a version 1 MASH could not take are kept (issue 21): their copy is at /api/my-referrals/<ref>/kept.txt. */
  detailsKept?: true;
}

/** Where a session's referrals live: the web chat owner, and (signed in through Teams SSO) the Entra object id. */
export interface ReferralSources {
  listFor(channelId: string, userId: string): Promise<ReferralTracking[]>;
  listForAad(aadObjectId: string): Promise<ReferralTracking[]>;
  /** The referrer's copy of the details kept back from a version 1 MASH (issue 21), if any. */
  keptCopy?(t: ReferralTracking): string | undefined;
}

/** Sessions opened by Teams SSO carry `aad-<oid>` as their id (see teamsSso.ts). */
export const aadIdPrefix = 'aad-';

const channelName = (channelId: string): ReferralRow['channel'] =>
  channelId === 'msteams' ? 'Teams' : channelId === 'webchat' || channelId === 'directline' ? 'Web chat' : 'Other';

function toRow(t: ReferralTracking): ReferralRow {
  const latest = t.events[t.events.length - 1];
  // The decision matters most, so it shows even when a later event (a question) came after it.
  const decision = [...t.events].reverse().find((e) => e.decision)?.decision?.outcome;
  return {
    clientReference: t.clientReference,
    ...(t.reference ? { reference: t.reference } : {}),
    filedAt: t.createdAt,
    channel: channelName(t.channelId),
    status: t.status,
    ...(decision ? { decision } : {}),
    ...(latest ? { latest: { type: latest.type.replace('referral.', ''), occurredAt: latest.occurredAt } } : {}),
    ...(t.notSent ? { detailsKept: true as const } : {}),
  };
}

/**
 * Every referral this professional filed: through the web chat under their session id and, when the
 * session came from Teams SSO, through Teams under their Entra object id. Newest first, each once.
 */
export async function referralRowsFor(user: ProfessionalIdentity, sources: ReferralSources, webChatChannelId: string): Promise<ReferralRow[]> {
  return (await trackingsFor(user, sources, webChatChannelId)).map(toRow);
}

/** The referrals behind referralRowsFor, newest first: only these can a session see anything of. */
export async function trackingsFor(user: ProfessionalIdentity, sources: ReferralSources, webChatChannelId: string): Promise<ReferralTracking[]> {
  const lists = [sources.listFor(webChatChannelId, user.id)];
  if (user.id.startsWith(aadIdPrefix)) lists.push(sources.listForAad(user.id.slice(aadIdPrefix.length)));
  const byRef = new Map<string, ReferralTracking>();
  for (const t of (await Promise.all(lists)).flat()) byRef.set(t.clientReference, t);
  return [...byRef.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Undelivered updates (see bot/proactiveNotifier.ts), found the same way as the referrals. */
export interface NotificationSources {
  notificationsFor(owner: { channelId: string; userId: string }): Promise<WebNotification[]>;
  notificationsForAad(aadObjectId: string): Promise<WebNotification[]>;
}

/**
 * The session's web list plus, for a Teams SSO session, what could not reach them in Teams. A Teams
 * user's list is kept under their Entra object id, so only an SSO session sees it.
 */
export async function notificationsFor(user: ProfessionalIdentity, sources: NotificationSources, webChatChannelId: string): Promise<WebNotification[]> {
  const lists = [sources.notificationsFor({ channelId: webChatChannelId, userId: user.id })];
  if (user.id.startsWith(aadIdPrefix)) lists.push(sources.notificationsForAad(user.id.slice(aadIdPrefix.length)));
  const byId = new Map<string, WebNotification>();
  for (const n of (await Promise.all(lists)).flat()) byId.set(n.id, n);
  return [...byId.values()].sort((a, b) => b.at.localeCompare(a.at));
}
