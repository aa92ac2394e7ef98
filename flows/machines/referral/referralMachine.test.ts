import { getShortestPaths, getSimplePaths } from 'xstate/graph';
import { getNextSnapshot, type AnyMachineSnapshot } from 'xstate';
import { referralBodySchema } from '../../referral/contract';
import type { AnswerIdentity, AnswerValue, FlowEvent } from '../../protocol';
import { activeQuestion } from '../../runtime';
import type { CarriedInput } from '../flowKit';
import { createReferralMachine, type ReferralContext } from './referralMachine';
import { at, pack, runFlow, screeningSummary, triageSummary } from './referralTestKit';

// Walked on its own the flow has no parent to report to, so reporting is stubbed for the walk; every path
// found is then replayed under a parent (runFlow), which collects what the flow really reports.
const walkable = createReferralMachine(pack).provide({
  actions: {
    intro: () => undefined,
    reportFiled: () => undefined,
    sayCancelled: () => undefined,
    // The draft's effects (issue 20 item 2) are reported to the parent too: the replay under runFlow sees them.
    saveDraft: () => undefined,
    discardDraft: () => undefined,
    sayResumed: () => undefined,
  },
});

interface Walk {
  name: string;
  input: CarriedInput | undefined;
  by: AnswerIdentity;
}

const walks: Walk[] = [
  { name: 'screened, nothing else known', input: { screening: screeningSummary() }, by: { channelId: 'webchat' } },
  {
    name: 'category 4 without a narrative, consent from a sharing decision, a signed-in professional on Teams',
    input: {
      screening: screeningSummary({ category: 4, urgency: 'immediate', indicators: ['disclosure'], vulnerabilities: [], narrative: undefined }),
      consent: { decisionId: 'share-0123', outcome: 'share-without-consent', reason: 'overridden-refusal', status: 'refused' },
    },
    by: { channelId: 'msteams', name: 'Test Teacher', role: 'DSL', organisation: 'Test School', email: 'test.teacher@example.org' },
  },
  { name: 'a child-protection route, no screening (issue 17)', input: { triage: triageSummary() }, by: { channelId: 'webchat' } },
  { name: 'nothing carried', input: undefined, by: { channelId: 'webchat' } },
];

/** Answers per question that take every branch: a date or not known, skips, keep or replace, two consents, and two changes. */
const answersByQuestion: Record<string, AnswerValue[]> = {
  'ref-child-first-name': ['Test'],
  'ref-child-last-name': ['Child'],
  'ref-child-dob': ['2012-03-14', 'unknown'],
  'ref-child-age': [13],
  'ref-child-nhs': ['9434765919', 'skip'],
  'ref-child-upn': ['M916200024001'],
  'ref-child-postcode': ['skip'],
  'ref-child-school': ['Test School'],
  'ref-concern-summary': ['A summary in my own words.'],
  'ref-consent-status': ['given', 'refused-overridden-refusal'],
  'share-org-kind': ['public-body'],
  'ref-referrer-role': ['School nurse'],
  'ref-referrer-org': ['Test School'],
  'ref-referrer-email': ['nurse@hill.sch.uk'],
  'ref-referrer-name': ['Pat Jones'],
  'ref-family-aware': ['yes'],
  'ref-child-views': ['skip'],
  'ref-referrer-phone': ['01632 960123'],
  'ref-confirm': ['submit', 'change', 'cancel'],
  'ref-next': ['advice', 'menu'],
};
/** Changes walked: two fields, so every order of changing them is a simple path without the walk exploding. */
const changesWalked = ['ref-child-dob', 'ref-child-nhs'];

function eventsFor(by: AnswerIdentity) {
  return (snapshot: AnyMachineSnapshot): FlowEvent[] => {
    const asked = snapshot.status === 'active' ? activeQuestion(snapshot) : undefined;
    if (!asked) return [];
    const offered = (asked.choices ?? []).map((c) => c.value);
    const values =
      asked.id === 'ref-change-field' ? offered.filter((v) => changesWalked.includes(v)) : [...(answersByQuestion[asked.id] ?? []), ...offered.filter((v) => v === 'keep')];
    if (values.length === 0) throw new Error(`no test answers for ${asked.id}`);
    return values.map((value) => ({ type: 'ANSWER', questionId: asked.id, value, at, ref: 'conv-key-1', by }));
  };
}

// What decides the future of a state: the counters and the texts shown would make every visit unique.
const serializeState = (s: AnyMachineSnapshot) => {
  const context = s.context as ReferralContext;
  return JSON.stringify([s.value, context.answers, context.changing, context.next]);
};
const answersOf = (steps: Array<{ event: unknown }>) => steps.map((s) => s.event as FlowEvent).filter((e): e is Extract<FlowEvent, { type: 'ANSWER' }> => e.type === 'ANSWER');

describe.each(walks)('referral flow walked by its graph: $name', ({ input, by }) => {
  const options = { events: eventsFor(by) as never, serializeState: serializeState as never, input };
  const paths = getSimplePaths(walkable, { ...options, toState: (s) => s.status === 'done' });

  it('never dead-ends: every reachable state is final, or one of its answers moves it on', () => {
    const reachable = getShortestPaths(walkable, options).map((p) => p.state as AnyMachineSnapshot);
    for (const state of reachable.filter((s) => s.status !== 'done')) {
      const moved = eventsFor(by)(state).some((event) => serializeState(getNextSnapshot(walkable, state, event)) !== serializeState(state));
      expect(moved).toBe(true);
    }
    expect(paths.length).toBeGreaterThan(0);
  });

  it('ends every path in submit with exactly one referral in the outbox, or in cancel with nothing', () => {
    for (const path of paths) {
      const events = answersOf(path.steps);
      const run = runFlow(createReferralMachine(pack), input, events);
      const outbox = run.effects.filter((e) => e.kind === 'outbox.enqueue');
      const confirms = events.filter((e) => e.questionId === 'ref-confirm').map((e) => e.value);
      if (!input?.screening && !input?.triage) {
        expect(run.output).toEqual({ next: 'refer' });
        expect(run.effects).toEqual([]);
        continue;
      }
      const last = confirms[confirms.length - 1];
      expect(['submit', 'cancel']).toContain(last);
      // The draft (issue 20 item 2): saved on every answer that goes into the referral, under one id, and
      // discarded once at the end, filed or cancelled; nothing else about it.
      const drafts = run.effects.filter((e) => e.kind === 'draft.save' || e.kind === 'draft.discard');
      const saves = drafts.filter((e) => e.kind === 'draft.save');
      expect(saves.length).toBeGreaterThan(0);
      expect(new Set(drafts.map((e) => e.payload.draftId)).size).toBe(1);
      expect(drafts[drafts.length - 1]).toMatchObject({ kind: 'draft.discard', payload: { reason: last === 'submit' ? 'filed' : 'cancelled' } });
      expect(drafts.filter((e) => e.kind === 'draft.discard')).toHaveLength(1);
      const others = run.effects.filter((e) => e.kind !== 'draft.save' && e.kind !== 'draft.discard');
      if (last === 'submit') {
        expect(outbox).toHaveLength(1);
        expect(others.map((e) => e.kind)).toEqual(['outbox.enqueue', 'audit.append']);
        expect(run.messages.filter((m) => m.value?.type === 'safeguarding.referralFiled')).toHaveLength(1);
        expect(referralBodySchema.safeParse(outbox[0].payload.body).success).toBe(true);
        expect(run.output).toEqual({ next: events[events.length - 1].value, filed: true, clientReference: outbox[0].id });
      } else {
        expect(others).toEqual([]);
        expect(run.output).toEqual({ next: 'menu' });
      }
    }
  });

  if (input?.screening || input?.triage) {
    it('walks enough: both endings, each change, and both ways out after filing', () => {
      const endings = new Set(
        paths.map((p) =>
          answersOf(p.steps)
            .filter((e) => e.questionId === 'ref-confirm')
            .map((e) => e.value)
            .join('>'),
        ),
      );
      expect([...endings].some((e) => e === 'submit')).toBe(true);
      expect([...endings].some((e) => e === 'cancel')).toBe(true);
      expect([...endings].some((e) => e === 'change>change>submit')).toBe(true);
      expect(new Set(paths.map((p) => p.state.output?.next))).toEqual(new Set(['advice', 'menu']));
      expect(paths.length).toBeGreaterThan(100);
    });
  }
});

describe('referral flow, what it asks', () => {
  const answer = (questionId: string, value: AnswerValue, by: AnswerIdentity = { channelId: 'webchat' }): FlowEvent => ({ type: 'ANSWER', questionId, value, at, by });
  const child = [
    answer('ref-child-first-name', 'Test'),
    answer('ref-child-last-name', 'Child'),
    answer('ref-child-dob', '2012-03-14'),
    // An NHS number alone still asks the UPN ("skip" would skip both).
    answer('ref-child-nhs', '9434765919'),
    answer('ref-child-upn', 'skip'),
    answer('ref-child-postcode', 'skip'),
    answer('ref-child-school', 'skip'),
  ];

  it('asks the contract questions in order when nothing is known but the screening', () => {
    const run = runFlow(createReferralMachine(pack), { screening: screeningSummary() }, [
      ...child,
      answer('ref-concern-summary', 'keep'),
      answer('ref-consent-status', 'given'),
      answer('share-org-kind', 'public-body'),
      answer('ref-referrer-role', 'Nurse'),
      answer('ref-referrer-org', 'Test School'),
      answer('ref-referrer-email', 'n@hill.sch.uk'),
      answer('ref-referrer-name', 'Pat Jones'),
      answer('ref-referrer-phone', '01632 960123'),
      answer('ref-family-aware', 'yes'),
      answer('ref-child-views', 'She wants it to stop.'),
      answer('ref-childs-words', 'skip'),
      answer('ref-confirm', 'cancel'),
    ]);
    expect(run.asked).toEqual([
      'ref-child-first-name',
      'ref-child-last-name',
      'ref-child-dob',
      'ref-child-nhs',
      'ref-child-upn',
      'ref-child-postcode',
      'ref-child-school',
      'ref-concern-summary',
      'ref-consent-status',
      'share-org-kind',
      'ref-referrer-role',
      'ref-referrer-org',
      'ref-referrer-email',
      'ref-referrer-name',
      'ref-referrer-phone',
      'ref-family-aware',
      'ref-child-views',
      'ref-childs-words',
      'ref-confirm',
    ]);
  });

  it('skips consent when the sharing decision answers it, and the referrer when the sign-in does', () => {
    const signedIn: AnswerIdentity = { channelId: 'msteams', name: 'Sam', role: 'DSL', organisation: 'Test School', email: 'test.teacher@example.org' };
    const consent = { decisionId: 'share-1', outcome: 'share' as const, status: 'given' as const, orgKind: 'public-body' as const };
    const run = runFlow(createReferralMachine(pack), { screening: screeningSummary(), consent }, [
      ...child.map((e) => ({ ...e, by: signedIn })),
      answer('ref-concern-summary', 'keep', signedIn),
      answer('ref-referrer-phone', '01632 960123', signedIn),
      answer('ref-family-aware', 'yes', signedIn),
      answer('ref-child-views', 'skip', signedIn),
      answer('ref-confirm', 'submit', signedIn),
      answer('ref-next', 'menu', signedIn),
    ]);
    // Consent and the referrer are not asked; the family, the child's views, the phone and the sections are.
    expect(run.asked.slice(-6)).toEqual(['ref-concern-summary', 'ref-referrer-phone', 'ref-family-aware', 'ref-child-views', 'ref-confirm', 'ref-next']);
    const body = referralBodySchema.parse(run.effects.find((e) => e.kind === 'outbox.enqueue')?.payload.body);
    expect(body).toMatchObject({
      channel: 'msteams',
      consent: { status: 'given', details: 'Recorded in information-sharing decision share-1.' },
      concern: { summary: screeningSummary().narrative },
    });
  });

  it('asks about consent when the sharing decision does not answer it', () => {
    const consent = { decisionId: 'share-2', outcome: 'seek-consent' as const, status: 'not-asked' as const };
    const run = runFlow(createReferralMachine(pack), { screening: screeningSummary(), consent }, [
      ...child,
      answer('ref-concern-summary', 'keep'),
      answer('ref-consent-status', 'given'),
    ]);
    expect(run.asked[run.asked.length - 1]).toBe('ref-consent-status');
  });

  it('needs no screening: from a route it says the urgency, files with it and shows the kind chosen (U4)', () => {
    const triage = triageSummary({ urgency: 'immediate' });
    const run = runFlow(createReferralMachine(pack), { triage }, [
      ...child,
      answer('ref-concern-summary', 'Red marks on her arm; she said dad hit her with a belt.'),
      answer('ref-consent-status', 'not-sought-would-increase-risk'),
      answer('share-org-kind', 'public-body'),
      answer('ref-referrer-role', 'Teacher'),
      answer('ref-referrer-org', 'Test School'),
      answer('ref-referrer-email', 't@hill.sch.uk'),
      answer('ref-referrer-name', 'Pat Jones'),
      answer('ref-referrer-phone', '01632 960123'),
      answer('ref-child-views', 'skip'),
      answer('ref-confirm', 'submit'),
    ]);
    expect(run.messages[0].text).toMatch(/^This is immediate: phone now/);
    const review = run.messages.map((m) => m.text).join('\n');
    expect(run.asked).toContain('ref-confirm');
    const body = referralBodySchema.parse(run.effects.find((e) => e.kind === 'outbox.enqueue')?.payload.body);
    expect(body.urgency).toBe('immediate');
    expect(review).not.toMatch(/Category 0/);
  });

  it('never files below the triage: a screening of lower urgency is raised to the override', () => {
    const run = runFlow(
      createReferralMachine(pack),
      { screening: screeningSummary({ urgency: 'routine', category: 1 }), triage: triageSummary({ kind: 'exploitation', urgency: 'immediate' }) },
      [
        ...child,
        answer('ref-concern-summary', 'keep'),
        answer('ref-consent-status', 'given'),
        answer('share-org-kind', 'public-body'),
        answer('ref-referrer-role', 'Nurse'),
        answer('ref-referrer-org', 'Test School'),
        answer('ref-referrer-email', 'n@hill.sch.uk'),
        answer('ref-referrer-name', 'Pat Jones'),
        answer('ref-referrer-phone', '01632 960123'),
        answer('ref-family-aware', 'yes'),
        answer('ref-child-views', 'skip'),
        answer('ref-confirm', 'submit'),
      ],
    );
    expect(referralBodySchema.parse(run.effects.find((e) => e.kind === 'outbox.enqueue')?.payload.body).urgency).toBe('immediate');
  });

  it('asks the root for the triage when nothing is carried, saying nothing itself', () => {
    const run = runFlow(createReferralMachine(pack), undefined, []);
    expect(run.messages).toEqual([]);
    expect(run.output).toEqual({ next: 'refer' });
  });
});
