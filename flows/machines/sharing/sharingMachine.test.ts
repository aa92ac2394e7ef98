import { getSimplePaths } from '@xstate/graph';
import type { AnyMachineSnapshot } from 'xstate';
import { choicesOf } from '../../answers';
import type { FlowEvent } from '../../protocol';
import { sharingOutcomes, sharingReasons, withoutConsentBasis, type SharingOutcome, type SharingReason } from './sharingDecision';
import { createSharingMachine } from './sharingMachine';
import { answer, at, decide, drive, pack, type Answer } from './sharingTestKit';

function questionOf(snapshot: AnyMachineSnapshot): string | undefined {
  const metas = Object.values(snapshot.getMeta() as Record<string, { question?: string } | undefined>);
  return metas.find((meta) => typeof meta?.question === 'string')?.question;
}

/** Every answer the pack offers at the question the snapshot is waiting on. */
function answersAt(snapshot: AnyMachineSnapshot): FlowEvent[] {
  const id = questionOf(snapshot);
  return id ? choicesOf(pack.questions[id]).map((c) => answer([id, c.value])) : [];
}

/**
 * The graph is walked on the flow alone, where there is no parent to report to, so the reporting actions
 * are stubbed for the walk; each path found is then replayed through the real root, which does report.
 */
const walkable = createSharingMachine(pack).provide({
  actions: { intro: () => undefined, reportResult: () => undefined, reportAudit: () => undefined, showRecord: () => undefined },
});
const paths = getSimplePaths(walkable, { events: answersAt, toState: (snapshot) => snapshot.status === 'done' });
const eventsOf = (path: (typeof paths)[number]) => path.steps.map((s) => s.event).filter((e): e is FlowEvent => e.type === 'ANSWER');

describe('sharing flow, every path through its graph', () => {
  it('finds paths to every outcome and every way out', () => {
    const outcomes = new Set(paths.map((p) => p.state.context.decision?.outcome));
    expect([...outcomes].sort()).toEqual([...sharingOutcomes].sort());
    expect(new Set(paths.map((p) => p.state.output?.next))).toEqual(new Set(['screen', 'refer', 'advice', 'menu']));
    expect(paths.length).toBeGreaterThan(100);
  });

  it.each(paths.map((p) => [eventsOf(p).map((e) => (e.type === 'ANSWER' ? `${e.questionId}=${e.value}` : '')).join(' '), p] as const))(
    '%s: one outcome, one result message, one audit record',
    (_name, path) => {
      const driven = drive(eventsOf(path));
      expect(driven.decisions).toHaveLength(1);
      expect(driven.effects).toHaveLength(1);
      const [decision] = driven.decisions;
      const [effect] = driven.effects;
      expect(sharingOutcomes).toContain(decision.outcome);
      expect(effect).toMatchObject({ kind: 'audit.append', id: decision.decisionId, payload: { recordType: 'sharing-decision', outcome: decision.outcome } });
      expect(decision).toEqual(path.state.context.decision);
      // share* outcomes say with whom; nothing else asks
      expect(decision.recipient !== undefined).toBe(decision.outcome.startsWith('share'));
      expect(driven.asked.includes('share-recipient')).toBe(decision.outcome.startsWith('share'));
      // the root takes the flow's output: screening when asked for; a referral, which (with no screening in
      // this conversation yet) runs the screening first; otherwise back to the menu
      const rootState: Record<string, string> = { screen: 'triage', refer: 'triage' };
      expect(driven.snapshot.value).toBe(rootState[path.state.output?.next ?? ''] ?? 'menu');
    },
  );
});

type Row = { name: string; answers: Answer[]; outcome: SharingOutcome; reason?: SharingReason };
/** A row of the table (objects, because jest passes its `done` callback in place of a missing array item). */
const row = (name: string, answers: Answer[], outcome: SharingOutcome, reason?: SharingReason): Row => ({ name, answers, outcome, reason });
const y = (q: string): Answer => [q, 'yes'];
const n = (q: string): Answer => [q, 'no'];
const toPolice: Answer = ['share-recipient', 'police'];
const askedNot: Answer[] = [y('share-purpose'), n('share-immediate-danger'), y('share-identifies'), ['share-consent-status', 'not-asked']];
const refused: Answer[] = [y('share-purpose'), n('share-immediate-danger'), y('share-identifies'), ['share-consent-status', 'refused']];

/** Issue 3, branch by branch: the questions asked in order, the outcome and the reason. */
const table: Row[] = [
  row('not about safety or well-being', [n('share-purpose')], 'do-not-share'),
  row('unsure of the purpose', [['share-purpose', 'unsure']], 'seek-advice'),
  row('immediate danger', [y('share-purpose'), y('share-immediate-danger')], 'emergency'),
  row('identifies nobody', [y('share-purpose'), n('share-immediate-danger'), n('share-identifies'), toPolice], 'share'),
  row('consent given', [y('share-purpose'), n('share-immediate-danger'), y('share-identifies'), ['share-consent-status', 'given'], toPolice], 'share'),
  row('not asked: asking raises the risk', [...askedNot, y('share-consent-increases-risk'), toPolice], 'share-without-consent', 'would-increase-risk'),
  row('not asked: asking prejudices a crime', [...askedNot, n('share-consent-increases-risk'), y('share-consent-prejudice-crime'), toPolice], 'share-without-consent', 'prejudice-crime'),
  row('not asked: nobody can consent', [...askedNot, n('share-consent-increases-risk'), n('share-consent-prejudice-crime'), n('share-can-consent'), toPolice], 'share-without-consent', 'cannot-consent'),
  row('not asked: cannot ask in time', [...askedNot, n('share-consent-increases-risk'), n('share-consent-prejudice-crime'), y('share-can-consent'), n('share-reasonable-to-ask'), toPolice], 'share-without-consent', 'not-reasonable'),
  row('not asked: nothing stops asking', [...askedNot, n('share-consent-increases-risk'), n('share-consent-prejudice-crime'), y('share-can-consent'), y('share-reasonable-to-ask')], 'seek-consent'),
  row('refused: asking raised the risk', [...refused, y('share-consent-increases-risk'), toPolice], 'share-without-consent', 'would-increase-risk'),
  row('refused: significant harm', [...refused, n('share-consent-increases-risk'), y('share-significant-harm'), toPolice], 'share-without-consent', 'overridden-refusal'),
  row('refused: no significant harm', [...refused, n('share-consent-increases-risk'), n('share-significant-harm')], 'do-not-share'),
  row('refused: unsure about harm', [...refused, n('share-consent-increases-risk'), ['share-significant-harm', 'unsure']], 'seek-advice'),
];

describe('sharing flow, the branches of issue 3', () => {
  it.each(table)('$name → $outcome', ({ answers, outcome, reason }) => {
    const driven = decide(answers);
    expect(driven.asked).toEqual([...answers.map(([q]) => q), 'share-next']);
    expect(driven.decisions).toHaveLength(1);
    const [decision] = driven.decisions;
    expect(decision.outcome).toBe(outcome);
    expect(decision.reason).toBe(reason);
    expect(decision.lawfulBasis).toBe(outcome === 'share-without-consent' ? withoutConsentBasis : undefined);
    expect(decision.answers).toEqual(Object.fromEntries(answers));
  });

  it('covers every reason', () => {
    expect(new Set(table.map((r) => r.reason).filter(Boolean))).toEqual(new Set(sharingReasons));
  });
});

describe('sharing decision', () => {
  const overridden: Answer[] = [...refused, n('share-consent-increases-risk'), y('share-significant-harm'), toPolice];

  it('is the result value and the audit payload, stamped with the time of the deciding answer', () => {
    const { decisions, effects } = decide(overridden);
    const [decision] = decisions;
    expect(decision).toEqual({
      type: 'safeguarding.sharingDecision',
      decisionId: expect.stringMatching(/^share-[0-9a-f]{24}$/),
      outcome: 'share-without-consent',
      reason: 'overridden-refusal',
      lawfulBasis: withoutConsentBasis,
      recipient: 'police',
      answers: Object.fromEntries(overridden),
      rules: expect.arrayContaining(['golden-2018-7', 'golden-2024-1', 'golden-2024-3']),
      contentVersion: pack.version,
      recordedAt: at,
    });
    const { type: _type, ...payload } = decision;
    expect(effects).toEqual([{ kind: 'audit.append', id: decision.decisionId, payload: { recordType: 'sharing-decision', ...payload } }]);
  });

  it('has the same id for the same answers at the same time, and another id at another time', () => {
    const first = decide(overridden).decisions[0].decisionId;
    expect(decide(overridden).decisions[0].decisionId).toBe(first);
    expect(decide(overridden, '2026-03-02T10:05:00.000Z').decisions[0].decisionId).not.toBe(first);
  });

  it('says in plain English what to share, how, the lawful basis, the golden rules and to record it', () => {
    const text = decide(overridden).messages.find((m) => m.value?.type === 'safeguarding.sharingDecision')!.text;
    expect(text).toMatch(/^Decision: share the information with the police, without consent\./);
    for (const words of [/significant harm/, /necessary, proportionate/, /securely/, /Telling the person/, /Article 6\(1\)\(e\)/, /Schedule 1 Part 2 paragraph 18/, /Golden rules that apply:\n- /, /Record your decision/, /Sources: /]) {
      expect(text).toMatch(words);
    }
  });

  it('does not tell the person when asking would raise the risk', () => {
    const text = decide([...askedNot, y('share-consent-increases-risk'), toPolice]).messages[0].text;
    expect(text).toMatch(/Telling the person: not now/);
  });

  it('shows "my record" as pasteable text and asks what next again', () => {
    const driven = drive([...overridden.map((a) => answer(a)), answer(['share-next', 'record'])]);
    const record = driven.messages[driven.messages.length - 1].text;
    expect(record).toMatch(/^Information-sharing decision record\nDecision ID: share-[0-9a-f]{24}\nRecorded: 2026-03-02T10:00:00.000Z\nDecision: Share without consent/);
    expect(record).toMatch(/Shared with: The police/);
    expect(record).toMatch(/They refused/);
    expect(driven.effects).toHaveLength(1);
    expect(driven.asked[driven.asked.length - 1]).toBe('share-next');
  });

  it('carries the consent answer forward in its output', () => {
    const done = paths.find((p) => p.state.output?.next === 'refer' && p.state.context.decision?.reason === 'overridden-refusal');
    expect(done?.state.output).toEqual({
      next: 'refer',
      consent: { decisionId: expect.any(String), outcome: 'share-without-consent', reason: 'overridden-refusal', status: 'refused', lawfulBasis: withoutConsentBasis, recipient: expect.any(String) },
    });
  });

  it('refuses to start with a pack that lacks its words', () => {
    const { ['share-lawful-basis']: _gone, ...messages } = pack.messages;
    expect(() => createSharingMachine({ ...pack, messages })).toThrow(/share-lawful-basis/);
    expect(() => createSharingMachine({ ...pack, rules: {} })).toThrow(/no rule/);
  });
});
