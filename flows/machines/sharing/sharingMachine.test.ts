import { expect } from '@jest/globals';
import { getSimplePaths } from 'xstate/graph';
import type { AnyMachineSnapshot } from 'xstate';
import { choicesOf } from '../../answers';
import type { FlowEvent } from '../../protocol';
import { lawfulBasisCodesFor, type OrgKind } from './lawfulBasis';
import { sharingOutcomes, sharingReasons, type SharingOutcome, type SharingReason } from './sharingDecision';
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
  actions: { intro: () => undefined, callNow: () => undefined, reportResult: () => undefined, reportAudit: () => undefined, showRecord: () => undefined },
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

  it.each(
    paths.map(
      (p) =>
        [
          eventsOf(p)
            .map((e) => (e.type === 'ANSWER' ? `${e.questionId}=${String(e.value)}` : ''))
            .join(' '),
          p,
        ] as const,
    ),
  )('%s: one outcome, one result message, one audit record', (_name, path) => {
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
  });
});

type Row = { name: string; answers: Answer[]; outcome: SharingOutcome; reason?: SharingReason };
/** A row of the table (objects, because jest passes its `done` callback in place of a missing array item). */
const row = (name: string, answers: Answer[], outcome: SharingOutcome, reason?: SharingReason): Row => ({ name, answers, outcome, reason });
const y = (q: string): Answer => [q, 'yes'];
const n = (q: string): Answer => [q, 'no'];
const toPolice: Answer = ['share-recipient', 'police'];
const toMash: Answer = ['share-recipient', 'mash'];
const publicBody: Answer = ['share-org-kind', 'public-body'];
const identifying: Answer[] = [y('share-purpose'), n('share-immediate-danger'), y('share-identifies'), publicBody];
const askedNot: Answer[] = [...identifying, ['share-consent-status', 'not-asked']];
const refused: Answer[] = [...identifying, ['share-consent-status', 'refused']];
const noRisk: Answer[] = [...askedNot, n('share-risk-of-harm')];

/**
 * The 2024 advice, branch by branch: the questions asked in order, the outcome and the reason. Where a
 * child is at risk of harm consent is not needed, whether it was refused or never asked; "ask for
 * consent" only where there is no risk of harm (this replaces the 2018 row that ended "not asked →
 * seek consent" without ever asking about harm).
 */
const table: Row[] = [
  row('not about safety or well-being', [n('share-purpose')], 'do-not-share'),
  row('unsure of the purpose', [['share-purpose', 'unsure']], 'seek-advice'),
  row('immediate danger', [y('share-purpose'), y('share-immediate-danger'), publicBody], 'emergency'),
  row('identifies nobody', [y('share-purpose'), n('share-immediate-danger'), n('share-identifies'), toPolice], 'share'),
  row('consent given', [...identifying, ['share-consent-status', 'given'], toPolice], 'share'),
  row(
    'not asked: a child at risk of harm, safe to tell the family',
    [...askedNot, y('share-risk-of-harm'), n('share-consent-increases-risk'), toMash],
    'share-without-consent',
    'risk-of-harm',
  ),
  row(
    'not asked: a child at risk of harm, telling raises the risk',
    [...askedNot, y('share-risk-of-harm'), y('share-consent-increases-risk'), toPolice],
    'share-without-consent',
    'risk-of-harm',
  ),
  row('refused: a child at risk of harm', [...refused, y('share-risk-of-harm'), n('share-consent-increases-risk'), toMash], 'share-without-consent', 'overridden-refusal'),
  row('refused: no risk of harm, the refusal stands', [...refused, n('share-risk-of-harm')], 'do-not-share'),
  row('no risk of harm: asking raises a risk', [...noRisk, y('share-consent-increases-risk'), toPolice], 'share-without-consent', 'would-increase-risk'),
  row(
    'no risk of harm: asking prejudices a crime',
    [...noRisk, n('share-consent-increases-risk'), y('share-consent-prejudice-crime'), toPolice],
    'share-without-consent',
    'prejudice-crime',
  ),
  row(
    'no risk of harm: nobody can consent',
    [...noRisk, n('share-consent-increases-risk'), n('share-consent-prejudice-crime'), n('share-can-consent'), toMash],
    'share-without-consent',
    'cannot-consent',
  ),
  row(
    'no risk of harm: cannot ask in time',
    [...noRisk, n('share-consent-increases-risk'), n('share-consent-prejudice-crime'), y('share-can-consent'), n('share-reasonable-to-ask'), toMash],
    'share-without-consent',
    'not-reasonable',
  ),
  row(
    'no risk of harm: nothing stops asking',
    [...noRisk, n('share-consent-increases-risk'), n('share-consent-prejudice-crime'), y('share-can-consent'), y('share-reasonable-to-ask')],
    'seek-consent',
  ),
];

describe('sharing flow, the branches of the 2024 advice', () => {
  it.each(table)('$name → $outcome', ({ answers, outcome, reason }) => {
    const driven = decide(answers);
    expect(driven.asked).toEqual([...answers.map(([q]) => q), 'share-next']);
    expect(driven.decisions).toHaveLength(1);
    const [decision] = driven.decisions;
    expect(decision.outcome).toBe(outcome);
    expect(decision.reason).toBe(reason);
    expect(decision.answers).toEqual(Object.fromEntries(answers));
  });

  it('covers every reason', () => {
    expect(new Set(table.map((r) => r.reason).filter(Boolean))).toEqual(new Set(sharingReasons));
  });

  it('asks about risk of harm straight after "I have not asked", and never ends it in "ask for consent" when there is a risk', () => {
    const driven = decide([...askedNot, y('share-risk-of-harm'), n('share-consent-increases-risk'), toMash]);
    expect(driven.asked.slice(0, 7)).toEqual([
      'share-purpose',
      'share-immediate-danger',
      'share-identifies',
      'share-org-kind',
      'share-consent-status',
      'share-risk-of-harm',
      'share-consent-increases-risk',
    ]);
    expect(driven.decisions[0].outcome).not.toBe('seek-consent');
    expect(driven.asked).not.toContain('share-significant-harm');
  });

  it('never reaches "ask for consent" or "do not share" on any path where a child is at risk of harm', () => {
    const atRisk = paths.filter((p) => p.state.context.answers['share-risk-of-harm'] === 'yes');
    expect(atRisk.length).toBeGreaterThan(10);
    for (const p of atRisk) expect(['share-without-consent']).toContain(p.state.context.decision?.outcome);
    const askingConsent = paths.filter((p) => p.state.context.decision?.outcome === 'seek-consent');
    for (const p of askingConsent) expect(p.state.context.answers['share-risk-of-harm']).toBe('no');
  });

  it('decides whether to tell the family from whether telling could raise the risk', () => {
    const safe = decide([...askedNot, y('share-risk-of-harm'), n('share-consent-increases-risk'), toMash]).decisions[0];
    const unsafe = decide([...askedNot, y('share-risk-of-harm'), y('share-consent-increases-risk'), toMash]).decisions[0];
    expect(safe.tellFamily).toBe('yes');
    expect(unsafe.tellFamily).toBe('not-now');
  });
});

/** Replaces the organisation answer in a row, so each row runs for both kinds. */
const as = (answers: Answer[], kind: OrgKind): Answer[] => answers.map(([q, v]) => (q === 'share-org-kind' ? [q, kind] : [q, v]));
const identifyingRows = table.filter((r) => ['share', 'share-without-consent', 'emergency', 'seek-consent'].includes(r.outcome) && r.answers.some(([q]) => q === 'share-org-kind'));

describe('lawful basis on every identifying decision', () => {
  const cases = identifyingRows.flatMap((r) =>
    (['public-body', 'other-organisation'] as const).map((kind) => ({ name: r.name, kind, answers: as(r.answers, kind), outcome: r.outcome })),
  );

  it.each(cases)('$name, $kind: codes by organisation kind, and their words', ({ kind, answers, outcome }) => {
    const [decision] = decide(answers).decisions;
    expect(decision.orgKind).toBe(kind);
    expect(decision.lawfulBasisCodes.length).toBeGreaterThanOrEqual(3);
    const article6 = decision.lawfulBasisCodes.filter((c) => c.startsWith('uk-gdpr-6-'));
    if (outcome === 'emergency') {
      expect(article6).toEqual(['uk-gdpr-6-1-d', kind === 'public-body' ? 'uk-gdpr-6-1-e' : 'uk-gdpr-6-1-ea:annex1-3']);
      expect(decision.lawfulBasisCodes).toContain('uk-gdpr-9-2-c');
    } else {
      expect(article6).toEqual([kind === 'public-body' ? 'uk-gdpr-6-1-e' : 'uk-gdpr-6-1-ea:annex1-6']);
      expect(decision.lawfulBasisCodes).toContain('uk-gdpr-9-2-g+dpa-s10-3+sch1-p18');
    }
    expect(decision.lawfulBasisCodes.some((c) => c.startsWith('dpa-s10-5+'))).toBe(true);
    expect(decision.lawfulBasis).toMatch(
      kind === 'public-body' || outcome === 'emergency' ? /Article 6\(1\)\((e|d)\)/ : /Article 6\(1\)\(ea\) recognised legitimate interest, Annex 1 paragraph 6/,
    );
    expect(decision.lawfulBasis).not.toMatch(/not applicable/);
    // a public body never relies on (ea) or (f) for its own tasks (R3.2)
    if (kind === 'public-body') expect(decision.lawfulBasisCodes.some((c) => /6-1-(ea|f)/.test(c))).toBe(false);
  });

  it('records a basis for a share with agreement, and says agreement is not the basis', () => {
    const driven = decide([...identifying, ['share-consent-status', 'given'], toMash]);
    const [decision] = driven.decisions;
    expect(decision.lawfulBasisCodes).toEqual(lawfulBasisCodesFor({ orgKind: 'public-body', identifies: true }));
    expect(driven.messages[0].text).toMatch(/agreement is about being open with them\. Record it, but it is not your lawful basis/);
  });

  it('is "not applicable" only when nothing identifies anyone, and nothing when nothing is shared', () => {
    const anonymous = decide([y('share-purpose'), n('share-immediate-danger'), n('share-identifies'), toMash]).decisions[0];
    expect(anonymous.lawfulBasisCodes).toEqual([]);
    expect(anonymous.lawfulBasis).toMatch(/^not applicable: nothing you share identifies anyone/);
    const kept = decide([...refused, n('share-risk-of-harm')]).decisions[0];
    expect(kept.lawfulBasisCodes).toEqual([]);
    expect(kept.lawfulBasis).toBeUndefined();
  });

  it('uses the crime condition for criminal offence data shared with the police', () => {
    const [decision] = decide([...askedNot, y('share-risk-of-harm'), n('share-consent-increases-risk'), toPolice]).decisions;
    expect(decision.lawfulBasisCodes).toContain('dpa-s10-5+sch1-p10');
  });
});

describe('sharing decision', () => {
  const overridden: Answer[] = [...refused, y('share-risk-of-harm'), n('share-consent-increases-risk'), toPolice];

  it('is the result value and the audit payload, stamped with the time of the deciding answer', () => {
    const { decisions, effects } = decide(overridden);
    const [decision] = decisions;
    expect(decision).toEqual({
      type: 'safeguarding.sharingDecision',
      decisionId: expect.stringMatching(/^share-[0-9a-f]{24}$/),
      outcome: 'share-without-consent',
      reason: 'overridden-refusal',
      orgKind: 'public-body',
      lawfulBasisCodes: ['uk-gdpr-6-1-e', 'uk-gdpr-9-2-g+dpa-s10-3+sch1-p18', 'dpa-s10-5+sch1-p10'],
      lawfulBasis: expect.stringMatching(/^UK GDPR Article 6\(1\)\(e\) public task/),
      tellFamily: 'yes',
      recipient: 'police',
      answers: Object.fromEntries(overridden),
      rules: expect.arrayContaining(['golden-2024-1', 'golden-2024-3', 'golden-2024-7']),
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
    expect(text).toMatch(/^Decision: share the information with the police\. You do not need consent\./);
    for (const words of [
      /perceived risk of harm/,
      /necessary, proportionate/,
      /securely/,
      /Telling the family/,
      /Article 6\(1\)\(e\)/,
      /Schedule 1 paragraph 18/,
      /appropriate policy document/,
      /Golden rules that apply \(Information sharing advice, 2024\):\n- /,
      /Record your decision/,
      /Sources: /,
    ]) {
      expect(text).toMatch(words);
    }
  });

  it('does not tell the family when that could raise the risk, and never says to seek consent', () => {
    const text = decide([...askedNot, y('share-risk-of-harm'), y('share-consent-increases-risk'), toPolice]).messages[0].text;
    expect(text).toMatch(/Telling the family: not now/);
    expect(text).not.toMatch(/Telling the family: where it is practicable and safe|ask for consent before/);
  });

  it('never lists "consent is not needed" under a decision to ask for consent, nor 2018 rules anywhere', () => {
    const seek = decide([...noRisk, n('share-consent-increases-risk'), n('share-consent-prejudice-crime'), y('share-can-consent'), y('share-reasonable-to-ask')]);
    expect(seek.decisions[0].rules).not.toContain('golden-2024-3');
    expect(seek.messages[0].text).not.toMatch(/Consent is not needed where a child is at risk \(/);
    for (const p of paths) expect(p.state.context.decision?.rules.every((id) => id.startsWith('golden-2024-'))).toBe(true);
    expect(Object.keys(pack.rules).filter((id) => /2018/.test(id) || pack.sources[pack.rules[id].source]?.supersededBy)).toEqual([]);
  });

  it('shows "my record" as pasteable text and asks what next again', () => {
    const driven = drive([...overridden.map((a) => answer(a)), answer(['share-next', 'record'])]);
    const record = driven.messages[driven.messages.length - 1].text;
    expect(record).toMatch(/^Information-sharing decision record\nDecision ID: share-[0-9a-f]{24}\nRecorded: 2026-03-02T10:00:00.000Z\nDecision: Share without consent/);
    expect(record).toMatch(/Shared with: The police/);
    expect(record).toMatch(/Organisation: A public body/);
    expect(record).toMatch(/Lawful basis: UK GDPR Article 6\(1\)\(e\) public task/);
    expect(record).toMatch(/- Is a child at risk, or might they be \(risk or perceived risk of harm\)\? Yes/);
    expect(record).toMatch(/They refused/);
    expect(record).toMatch(/Golden rules applied \(Information sharing advice, 2024\): .*A child's protection comes before privacy/);
    expect(record).toMatch(new RegExp(`Guidance version: .*version ${pack.version.replace(/\./g, '\\.')}`));
    // answers in words: no internal choice codes
    expect(record).not.toMatch(/public-body|other-organisation|not-asked|share-risk-of-harm/);
    expect(record).not.toMatch(/\? (yes|no|refused|not-asked|mash)$/m);
    expect(record).not.toMatch(/uk-gdpr-|dpa-s10/);
    expect(driven.effects).toHaveLength(1);
    expect(driven.asked[driven.asked.length - 1]).toBe('share-next');
  });

  it('carries the consent answer forward in its output', () => {
    const done = paths.find((p) => p.state.output?.next === 'refer' && p.state.context.decision?.reason === 'overridden-refusal');
    expect(done?.state.output).toEqual({
      next: 'refer',
      consent: {
        decisionId: expect.any(String),
        outcome: 'share-without-consent',
        reason: 'overridden-refusal',
        status: 'refused',
        orgKind: expect.stringMatching(/^(public-body|other-organisation)$/),
        lawfulBasisCodes: expect.arrayContaining([expect.stringMatching(/^uk-gdpr-6-1-/)]),
        lawfulBasis: expect.stringMatching(/Article 6\(1\)/),
        tellFamily: expect.stringMatching(/^(yes|not-now)$/),
        recipient: expect.any(String),
      },
    });
  });

  it('refuses to start with a pack that lacks its words', () => {
    const { ['share-lawful-basis']: _gone, ...messages } = pack.messages;
    expect(() => createSharingMachine({ ...pack, messages })).toThrow(/share-lawful-basis/);
    const { ['basis-uk-gdpr-6-1-ea-annex1-6']: _words, ...noWords } = pack.messages;
    expect(() => createSharingMachine({ ...pack, messages: noWords })).toThrow(/basis-uk-gdpr-6-1-ea-annex1-6/);
    expect(() => createSharingMachine({ ...pack, rules: {} })).toThrow(/no rule/);
  });

  it('refuses to start with a pack whose sharing words cite a replaced source', () => {
    const stale = { ...pack.messages, 'share-what': { ...pack.messages['share-what'], source: 'is-2018' } };
    expect(() => createSharingMachine({ ...pack, messages: stale })).toThrow(/message "share-what" cites is-2018, replaced by is-2024/);
    const oldRule = { ...pack.rules, 'golden-2018-4': { title: 'Old', text: 'Old.', source: 'is-2018', appliesTo: ['share'] } };
    expect(() => createSharingMachine({ ...pack, rules: oldRule })).toThrow(/rule "golden-2018-4" cites is-2018/);
  });
});
