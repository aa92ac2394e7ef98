import { expect } from '@jest/globals';
import { loadDefaultPack } from '../../content/loadPack';
import type { OutgoingMessage, QuestionValue, TurnInput } from '../../protocol';
import { conversationRecordSchema, type ConversationRecord } from '../../record';
import { createRuntime } from '../../runtime';
import type { SharingDecision } from './sharingDecision';

const pack = loadDefaultPack();
const runtime = createRuntime({ pack });
const meta = { channelId: 'test', userId: 'u1', now: new Date('2026-03-02T10:00:00Z') };

/** A conversation whose record goes through JSON and the record schema between turns, as a store would. */
function conversation() {
  let record: ConversationRecord | undefined;
  return {
    turn(input: TurnInput, now = meta.now) {
      const result = runtime.runTurn(record, input, { ...meta, now });
      record = conversationRecordSchema.parse(JSON.parse(JSON.stringify(result.record)));
      return result;
    },
    say(text: string, now?: Date) {
      return this.turn({ kind: 'text', text }, now);
    },
    get record() {
      return record!;
    },
  };
}

const asked = (messages: OutgoingMessage[]) => messages[messages.length - 1].value as unknown as QuestionValue;
const decisionIn = (messages: OutgoingMessage[]) => messages.map((m) => m.value).find((v) => v?.type === 'safeguarding.sharingDecision') as SharingDecision | undefined;

/** Menu → "Should I share this?" → purpose yes, no danger, identifies, a public body, consent not asked. */
function upToHarm(orgKind = 'A public body') {
  const c = conversation();
  c.turn({ kind: 'start' });
  expect(asked(c.say('Should I share this?').messages).id).toBe('share-purpose');
  expect(asked(c.say('Yes').messages).id).toBe('share-immediate-danger');
  expect(asked(c.say('2').messages).id).toBe('share-identifies');
  expect(asked(c.say('yes').messages).id).toBe('share-org-kind');
  expect(asked(c.say(orgKind).messages).id).toBe('share-consent-status');
  expect(asked(c.say('3').messages).id).toBe('share-risk-of-harm');
  return c;
}

/** Up to the question after "is a child at risk of harm? yes": whether telling the family could raise the risk. */
function upToRisk() {
  const c = upToHarm();
  expect(asked(c.say('Yes').messages).id).toBe('share-consent-increases-risk');
  return c;
}

/** Answers typed in order from the menu; every message shown, and the one decision. */
function typed(answers: string[]) {
  const c = conversation();
  c.turn({ kind: 'start' });
  const messages = ['Should I share this?', ...answers].flatMap((text) => c.say(text).messages);
  const decisions = messages.map((m) => m.value).filter((v) => v?.type === 'safeguarding.sharingDecision') as SharingDecision[];
  expect(decisions).toHaveLength(1);
  return { c, messages, decision: decisions[0], text: messages.find((m) => m.value?.type === 'safeguarding.sharingDecision')!.text };
}

describe('"Should I share this?" through the runtime', () => {
  it('introduces itself and asks the purpose question with its choices', () => {
    const c = conversation();
    c.turn({ kind: 'start' });
    const { messages } = c.say('Should I share this?');
    expect(messages[0].text).toMatch(/^Should I share this\? A few quick questions/);
    expect(asked(messages)).toMatchObject({ id: 'share-purpose', expects: 'choice', choices: [{ value: 'yes' }, { value: 'no' }, { value: 'unsure' }] });
  });

  it('walks to a recorded decision answering by title and by number, then shows the record and leaves', () => {
    const c = upToRisk();
    expect(asked(c.say('Yes').messages).id).toBe('share-recipient');
    const decided = c.say('The police');
    const decision = decisionIn(decided.messages);
    expect(decision).toMatchObject({
      outcome: 'share-without-consent',
      reason: 'risk-of-harm',
      recipient: 'police',
      tellFamily: 'not-now',
      answers: { 'share-consent-status': 'not-asked', 'share-risk-of-harm': 'yes', 'share-consent-increases-risk': 'yes' },
      contentVersion: pack.version,
      recordedAt: meta.now.toISOString(),
    });
    expect(decided.effects).toEqual([
      {
        kind: 'audit.append',
        id: decision!.decisionId,
        payload: expect.objectContaining({
          recordType: 'sharing-decision',
          outcome: 'share-without-consent',
          reason: 'risk-of-harm',
          lawfulBasisCodes: expect.arrayContaining(['uk-gdpr-6-1-e']),
        }),
      },
    ]);
    expect(asked(decided.messages).id).toBe('share-next');

    const record = c.say('my record');
    expect(record.messages[0].text).toContain(`Decision ID: ${decision!.decisionId}`);
    expect(record.effects).toEqual([]);
    expect(asked(record.messages).id).toBe('share-next');

    // A referral starts at the triage (issue 17): danger first.
    const left = c.say('2');
    expect(asked(left.messages).id).toBe('screen-immediate-danger');
  });

  it('goes back one question mid-flow without repeating a message or an effect', () => {
    const c = upToHarm();
    const back = c.say('back');
    expect(back.messages[0].text).toMatch(/Going back one step/);
    expect(back.effects).toEqual([]);
    expect(asked(back.messages).id).toBe('share-consent-status');
    expect(asked(c.say('They refused').messages).id).toBe('share-risk-of-harm');
    const decided = c.say('No');
    expect(decisionIn(decided.messages)).toMatchObject({ outcome: 'do-not-share', answers: { 'share-consent-status': 'refused', 'share-risk-of-harm': 'no' } });
    expect(decided.messages[0].text).toMatch(/A refusal stands only while there is no risk of harm/);
  });

  it('goes back from a decision to the recipient; a new answer is a new decision with a new id', () => {
    const c = upToRisk();
    c.say('Yes');
    const first = decisionIn(c.say('The police').messages)!;
    const back = c.say('back');
    expect(back.effects).toEqual([]);
    expect(asked(back.messages).id).toBe('share-recipient');
    const second = c.say('1', new Date('2026-03-02T10:03:00Z'));
    expect(decisionIn(second.messages)).toMatchObject({ recipient: 'mash', recordedAt: '2026-03-02T10:03:00.000Z' });
    expect(second.effects[0].id).not.toBe(first.decisionId);
  });

  it('takes a card submit with the choice value', () => {
    const c = upToHarm();
    c.say('back');
    const submitted = c.turn({ kind: 'submit', questionId: 'share-consent-status', turnId: c.record.turn, answer: 'given' });
    expect(asked(submitted.messages).id).toBe('share-recipient');
  });

  it('answers a common question mid-flow, then asks the same question again', () => {
    const c = upToRisk();
    const trail = c.record.trail.length;
    const { messages, effects } = c.say('Do I need consent?');
    expect(messages[0].text).toMatch(/^Do I need consent\?\nNot where a child is at risk, or you think they might be/);
    expect(messages[0].text).toMatch(/\(Source: Information sharing: advice for practitioners/);
    expect(messages[0].text).toMatch(/for charities and other organisations the recognised legitimate interest for safeguarding/);
    expect(asked(messages).id).toBe('share-consent-increases-risk');
    expect(effects).toEqual([]);
    expect(c.record.trail).toHaveLength(trail);
  });

  it('answers a common question at the menu and stays there', () => {
    const c = conversation();
    c.turn({ kind: 'start' });
    const { messages } = c.say('can I tell the police?');
    expect(messages[0].text).toMatch(/^Can I tell the police\?\nYes/);
    expect(asked(messages).id).toBe('menu');
  });

  it('hands over to the exploitation screening when asked, with nothing more to record', () => {
    const c = upToRisk();
    c.say('Yes');
    c.say('The police');
    const screening = c.say('Screen for exploitation');
    expect(screening.effects).toEqual([]);
    expect(asked(screening.messages).id).toMatch(/^screen-/);
  });

  it('shows the question help, and the advice lines on the way out', () => {
    const c = upToRisk();
    expect(c.say('help').messages[0].text).toMatch(/not required to tell/);
    expect(c.say('help').messages[0].text).toMatch(/speak to the MASH before speaking to that parent/);
    c.say('Yes');
    c.say('health');
    const out = c.say('Who can I call?');
    expect(out.messages.map((m) => m.text).join('\n')).toMatch(/01452 426565/);
    expect(asked(out.messages).id).toBe('menu');
  });
});

const harmed = ['Yes', 'No'];
const toMash = 'The MASH (Children and Families Help Desk)';
const sharedIdentifying = (org: string) => ['Yes', '2', 'yes', org];
const superseded = Object.entries(pack.sources).filter(([, source]) => source.supersededBy);
/** The 2018 golden rules' titles and words, none of which may be shown any more. */
const rules2018 = [
  /Be open and honest/,
  /framework, not a barrier/,
  /Share with consent where appropriate/,
  /Consider safety and well-being/,
  /Keep a record\b/,
  /Necessary, proportionate, relevant, adequate, accurate, timely and secure \(/,
];

describe('"Should I share this?" on the 2024 advice, through the runtime', () => {
  it('"I have not asked" + a child at risk of harm → share without needing consent, never "ask for consent first"', () => {
    const { decision, text } = typed([...sharedIdentifying('A public body'), 'I have not asked', ...harmed, toMash]);
    expect(decision).toMatchObject({ outcome: 'share-without-consent', reason: 'risk-of-harm', tellFamily: 'yes' });
    expect(text).toMatch(/^Decision: share the information with the MASH \(Children and Families Help Desk\)\. You do not need consent\./);
    expect(text).not.toMatch(/ask for consent before you share/i);
  });

  it('a refusal + a child at risk of harm → share; no risk → the refusal stands', () => {
    expect(typed([...sharedIdentifying('public'), 'They refused', 'yes', 'yes', 'The police']).decision).toMatchObject({
      outcome: 'share-without-consent',
      reason: 'overridden-refusal',
      tellFamily: 'not-now',
    });
    expect(typed([...sharedIdentifying('public'), 'They refused', 'no']).decision.outcome).toBe('do-not-share');
  });

  it('"I have not asked" + no risk of harm → ask for consent, with no "consent is not needed" rule beside it', () => {
    const { decision, text } = typed([...sharedIdentifying('charity'), 'I have not asked', 'No', 'No', 'No', 'Yes', 'Yes']);
    expect(decision.outcome).toBe('seek-consent');
    expect(text).toMatch(/^Decision: no child is at risk of harm, so ask for consent before you share\./);
    expect(text).not.toMatch(/Consent is not needed where a child is at risk/);
  });

  it.each([
    ['A public body', 'uk-gdpr-6-1-e', /UK GDPR Article 6\(1\)\(e\) public task/],
    [
      'Another organisation',
      'uk-gdpr-6-1-ea:annex1-6',
      /UK GDPR Article 6\(1\)\(ea\) recognised legitimate interest, Annex 1 paragraph 6 \(safeguarding a vulnerable individual\)/,
    ],
  ])('every identifying decision from %s records codes %s and shows the words', (org, article6, words) => {
    const runs = [
      typed([...sharedIdentifying(org), 'Yes, they agreed', toMash]),
      typed([...sharedIdentifying(org), 'I have not asked', ...harmed, toMash]),
      typed([...sharedIdentifying(org), 'They refused', 'Yes', 'No', toMash]),
    ];
    for (const { decision, text } of runs) {
      expect(decision.lawfulBasisCodes).toEqual([article6, 'uk-gdpr-9-2-g+dpa-s10-3+sch1-p18', 'dpa-s10-5+sch1-p18+pt3-p36']);
      expect(decision.lawfulBasis).toMatch(words);
      expect(text).toMatch(new RegExp(`Lawful basis to record: ${decision.lawfulBasis!.replace(/[()]/g, '\\$&')}\\.`));
      expect(text).toMatch(/Article 9\(2\)\(g\) with Data Protection Act 2018 section 10\(3\) and Schedule 1 paragraph 18/);
      expect(text).toMatch(/appropriate policy document/);
      expect(text).not.toMatch(/uk-gdpr-|dpa-s10|not applicable/);
    }
    expect(runs[0].text).toMatch(/not your lawful basis/);
    expect(runs[0].text.includes("Children's Wellbeing and Schools Act 2026")).toBe(org === 'A public body');
  });

  it('an emergency says "call 999" before anything else, then records vital interests by organisation kind', () => {
    const c = conversation();
    c.turn({ kind: 'start' });
    c.say('Should I share this?');
    c.say('Yes');
    const danger = c.say('Yes');
    expect(danger.messages[0].text).toMatch(/^Call 999 now\./);
    expect(asked(danger.messages).id).toBe('share-org-kind');
    const decided = c.say('2');
    const decision = decisionIn(decided.messages)!;
    expect(decision.outcome).toBe('emergency');
    expect(decision.lawfulBasisCodes).toEqual(['uk-gdpr-6-1-d', 'uk-gdpr-6-1-ea:annex1-3', 'uk-gdpr-9-2-c', 'dpa-s10-5+sch1-p30']);
    expect(decision.lawfulBasis).toMatch(/^UK GDPR Article 6\(1\)\(d\) vital interests; .*Article 9\(2\)\(c\) vital interests/);
    expect(decided.messages[0].text).toMatch(/^Decision: emergency\. Call 999 now\./);
    const publicBody = typed(['Yes', 'Yes', 'A public body']).decision;
    expect(publicBody.lawfulBasisCodes.slice(0, 3)).toEqual(['uk-gdpr-6-1-d', 'uk-gdpr-6-1-e', 'uk-gdpr-9-2-c']);
  });

  it('nothing identifying → lawful basis "not applicable", and no question about the organisation', () => {
    const { decision, text, c } = typed(['Yes', 'No', 'No', toMash]);
    expect(decision).toMatchObject({ outcome: 'share', lawfulBasisCodes: [] });
    expect(decision.orgKind).toBeUndefined();
    expect(text).toMatch(/Lawful basis to record: not applicable: nothing you share identifies anyone/);
    expect(c.say('My record').messages[0].text).toMatch(/\nLawful basis: not applicable: nothing you share identifies anyone/);
  });

  it('shows no text citing a replaced source, and none of the 2018 golden rules, on any branch', () => {
    const branches = [
      ['No'],
      ['Not sure'],
      ['Yes', 'Yes', 'A public body'],
      ['Yes', 'No', 'No', toMash],
      [...sharedIdentifying('public'), 'Yes, they agreed', toMash],
      [...sharedIdentifying('public'), 'I have not asked', 'Yes', 'Yes', 'The police'],
      [...sharedIdentifying('charity'), 'They refused', 'Yes', 'No', toMash],
      [...sharedIdentifying('charity'), 'They refused', 'No'],
      [...sharedIdentifying('charity'), 'I have not asked', 'No', 'Yes', 'The police'],
      [...sharedIdentifying('charity'), 'I have not asked', 'No', 'No', 'Yes', 'The police'],
      [...sharedIdentifying('charity'), 'I have not asked', 'No', 'No', 'No', 'No', toMash],
      [...sharedIdentifying('charity'), 'I have not asked', 'No', 'No', 'No', 'Yes', 'No', toMash],
      [...sharedIdentifying('charity'), 'I have not asked', 'No', 'No', 'No', 'Yes', 'Yes'],
    ];
    const shown = branches.flatMap((answers) => {
      const { c, messages } = typed(answers);
      return [...messages, ...c.say('help').messages, ...c.say('my record').messages].map((m) => m.text);
    });
    expect(shown.length).toBeGreaterThan(50);
    const all = shown.join('\n');
    for (const [, source] of superseded) expect(all).not.toContain(source.title);
    for (const rule of rules2018) expect(all).not.toMatch(rule);
    expect(all).not.toMatch(/reasonable cause to believe/);
    expect(all).not.toMatch(/\(Department for Education, 2018\)/);
  });
});
