import fc from 'fast-check';
import { choicesOf } from '../../answers';
import { loadDefaultPack } from '../../content/loadPack';
import type { QuestionValue } from '../../protocol';
import { conversationRecordSchema, type ConversationRecord } from '../../record';
import { createRuntime } from '../../runtime';
import type { SharingDecision } from './sharingDecision';

const pack = loadDefaultPack();
const runtime = createRuntime({ pack });
const meta = { channelId: 'test', userId: 'u1', now: new Date('2026-03-02T10:00:00Z') };

/** One thing a professional does at a question: pick a choice (by its index, wrapped), or go back. */
type Step = { kind: 'pick'; index: number } | { kind: 'back' } | { kind: 'help' };
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 8, arbitrary: fc.nat({ max: 9 }).map((index): Step => ({ kind: 'pick', index })) },
  { weight: 2, arbitrary: fc.constant<Step>({ kind: 'back' }) },
  { weight: 1, arbitrary: fc.constant<Step>({ kind: 'help' }) },
);

/** The answers that lead on towards consent and harm; taken 7 times in 10, so most walks reach the harm question. */
const onwards: Record<string, string> = { 'share-purpose': 'Yes', 'share-immediate-danger': 'No', 'share-identifies': 'Yes' };

/**
 * Walks "Should I share this?" through the real runtime with any sequence of answers, backs and help,
 * always answering "is a child at risk of harm?" with Yes (by its title, as typed), staying in the flow
 * at "What next?" (only back or my record there). Returns every decision made on the way.
 */
function walk(steps: Step[]): SharingDecision[] {
  let record: ConversationRecord | undefined;
  const decisions: SharingDecision[] = [];
  const say = (text: string) => {
    const result = runtime.runTurn(record, { kind: 'text', text }, meta);
    record = conversationRecordSchema.parse(JSON.parse(JSON.stringify(result.record)));
    decisions.push(...(result.messages.map((m) => m.value).filter((v) => v?.type === 'safeguarding.sharingDecision') as SharingDecision[]));
    return result.messages[result.messages.length - 1].value as unknown as QuestionValue | undefined;
  };
  runtime.runTurn(undefined, { kind: 'start' }, meta);
  let question = say('Should I share this?');
  for (const s of steps) {
    const id = question?.id;
    if (!id || !id.startsWith('share-')) break;
    if (s.kind === 'back' || s.kind === 'help') {
      question = say(s.kind);
      continue;
    }
    if (id === 'share-risk-of-harm') question = say('Yes');
    else if (id === 'share-next') question = say(s.index % 2 === 0 ? 'back' : 'my record');
    else if (onwards[id] && s.index < 7) question = say(onwards[id]);
    else {
      const choices = choicesOf(pack.questions[id]);
      question = say(choices[s.index % choices.length].title);
    }
  }
  return decisions;
}

describe('"Should I share this?": a child at risk of harm is never left without sharing', () => {
  it('for any answers (with back and help), a decision made with "at risk of harm: yes" is never "ask for consent" or "do not share"', () => {
    let atRisk = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 4, maxLength: 24 }), (steps) => {
        for (const decision of walk(steps)) {
          if (decision.answers['share-risk-of-harm'] !== 'yes') continue;
          atRisk += 1;
          expect(decision.outcome).not.toBe('seek-consent');
          expect(decision.outcome).not.toBe('do-not-share');
          expect(decision.outcome).toBe('share-without-consent');
          expect(decision.lawfulBasisCodes.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300, seed: 17 },
    );
    // the walk must actually reach the question, or the property says nothing
    expect(atRisk).toBeGreaterThan(20);
  });
});
