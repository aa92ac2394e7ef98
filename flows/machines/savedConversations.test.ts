import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDefaultPack } from '../content/loadPack';
import type { ConversationRecord } from '../record';
import type { TurnMeta, TurnResult } from '../protocol';
import { createRuntime } from '../runtime';

/**
 * Conversations saved mid-flow by the machines as they were before the flow kit (commit fb83bb4, before
 * issue 19 item 7): every flow's states are now written with one helper dialect and the screening's
 * indicator questions are generated from the pack, yet a professional half way through any flow must
 * carry on where they were, not be told "updated since we last spoke". Each walk is a list of typed
 * answers; `saved` holds the stored record at some of its turns, as the store would have kept it.
 */
interface SavedWalk {
  name: string;
  identity: Partial<TurnMeta>;
  answers: string[];
  /**
   * `savedBeforeIssue21`: saved at the referral's check, past where issue 21's questions (the phone, the
   * family, the child's views, the sections) are asked today, so it cannot say exactly what today's walk
   * says; it must still be restored, not restarted, and file.
   */
  saved: Array<{ turn: number; asked: string; record: ConversationRecord; savedBeforeIssue21?: boolean }>;
}

const fixture = JSON.parse(readFileSync(join(__dirname, 'savedConversations.json'), 'utf8')) as { machineVersion: string; walks: SavedWalk[] };
const runtime = createRuntime({ pack: loadDefaultPack() });

/** Turn `n` of a walk happens at minute `n` (the start is minute 0), as when the records were saved. */
const metaAt = (walk: SavedWalk, minute: number): TurnMeta => ({
  channelId: 'test',
  userId: 'u1',
  conversationKey: 'test:saved',
  ...walk.identity,
  now: new Date(Date.UTC(2026, 2, 2, 10, minute)),
});

type Said = Pick<TurnResult<ConversationRecord>, 'messages' | 'effects'>;

/** Answers `from` the given turn on, starting from `record`: what each turn said and did. */
function carryOn(walk: SavedWalk, record: ConversationRecord | undefined, from: number): Said[] {
  let stored = record;
  return walk.answers.slice(from).map((text, i) => {
    const { record: next, messages, effects } = runtime.runTurn(stored, { kind: 'text', text }, metaAt(walk, from + i + 1));
    stored = next;
    return { messages, effects };
  });
}

/** The same walk today, never interrupted. */
function uninterrupted(walk: SavedWalk): Said[] {
  const { record } = runtime.runTurn(undefined, { kind: 'start' }, metaAt(walk, 0));
  return carryOn(walk, record, 0);
}

describe('a conversation saved before the flow kit', () => {
  it('carries the machine version of today, so it is restored rather than restarted', () => {
    expect(fixture.machineVersion).toBe(runtime.machineVersion);
  });

  describe.each(fixture.walks.map((walk) => [walk.name, walk] as const))('%s', (_, walk) => {
    const today = uninterrupted(walk);

    it.each(walk.saved.map((saved) => [saved.asked, saved] as const))('resumes at %s and goes on exactly as an uninterrupted one does', (asked, saved) => {
      // Today's walk waits on the same question at that turn ...
      const waiting = today[saved.turn - 1].messages.at(-1)?.value as { id?: string } | undefined;
      expect(waiting?.id).toBe(asked);
      // ... and the saved one, restored, says and does the same from there to the end.
      const resumed = carryOn(walk, saved.record, saved.turn);
      expect(resumed[0].messages[0].text).not.toMatch(/updated since we last spoke/);
      if (saved.savedBeforeIssue21) {
        const outbox = (said: Said[]) => said.flatMap((t) => t.effects).filter((e) => e.kind === 'outbox.enqueue');
        expect(outbox(resumed)).toHaveLength(1);
        expect(resumed.at(-1)?.messages.at(-1)?.value).toMatchObject({ id: 'menu' });
        return;
      }
      expect(resumed).toEqual(today.slice(saved.turn));
    });
  });
});
