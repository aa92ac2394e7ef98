import { loadDefaultPack } from '../content/loadPack';
import { matchNarrative, stem, words } from './matchNarrative';

const indicators = loadDefaultPack().screening!.indicators;

describe('narrative matching', () => {
  // Synthetic people only. Each description lists the ids the pack's phrases should propose, in pack order.
  it.each<[string, string[]]>([
    ['Test Child has an older boyfriend. She was picked up in a car by men last week.', ['older-partner', 'vehicles']],
    ['She keeps getting into cars with adults nobody knows.', ['vehicles']],
    ['Test Child went missing twice this month and came back with a new phone and expensive clothes.', ['missing', 'gifts-money']],
    ['He has been skipping school, smells of cannabis and has mood swings. He stays out overnight.', ['missing', 'school-absence', 'substances', 'behaviour-change']],
    ['She told a teacher she was made to have sex for a place to stay, and has since disclosed more.', ['exchange', 'disclosure']],
    ['Test Child has been sending NUDES to someone online.', ['online-contact', 'sexting']],
    ['Police found him in a trap house; we think it is County Lines.', ['trafficked']],
    ['Nothing specific: she seems quiet. Her caring nature stands out in class.', []],
    ['Test Child is in foster care, has an EHCP for autism and is being bullied at school.', ['looked-after', 'sen-disability', 'bullying']],
    ['She has been self-harming, has an STI and has stopped seeing friends.', ['isolated', 'sexual-activity', 'self-harm']],
    ['He is hanging around with older lads outside the shop and was arrested for shoplifting.', ['inappropriate-adults', 'offending']],
    ['Arguments at home constantly; he was kicked out and is sofa-surfing.', ['family-conflict', 'homeless']],
    ['Test Child is a young carer who looks after her mum and has no one to talk to.', ['young-carer', 'no-trusted-adult']],
  ])('%s', (text, expected) => {
    expect(matchNarrative(text, indicators).sort()).toEqual([...expected].sort());
  });

  it('matches whole words only', () => {
    expect(matchNarrative('a scar on her arm; she is scared', { vehicles: { phrases: ['car'] } })).toEqual([]);
    expect(matchNarrative('the cash machine', { money: { phrases: ['cash'] } })).toEqual(['money']);
  });

  it.each([
    ['picked', 'pick'],
    ['picking', 'pick'],
    ['picks', 'pick'],
    ['stopped', 'stop'],
    ['boyfriends', 'boyfriend'],
    ['parties', 'party'],
    ['missing', 'miss'],
    ['caring', 'caring'],
    ['bus', 'bus'],
  ])('stems %s as %s', (word, expected) => expect(stem(word)).toBe(expected));

  it('ignores case, apostrophes and articles', () => {
    expect(words("Her Boyfriend's CAR, the one outside")).toEqual(['her', 'boyfriend', 'car', 'one', 'outside']);
  });
});
