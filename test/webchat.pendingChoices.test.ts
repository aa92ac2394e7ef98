import { pendingChoicesKeeper } from '../server/webchat/client/pendingChoices';

/** Runs activities through the page's store middleware, returning what Web Chat's store would receive. */
function through(activities: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  const passed: Array<Record<string, unknown>> = [];
  const dispatch = pendingChoicesKeeper()({ dispatch: () => undefined })((action) => {
    passed.push((action as { payload: { activity: Record<string, unknown> } }).payload.activity);
    return undefined;
  });
  for (const activity of activities) dispatch({ type: 'DIRECT_LINE/INCOMING_ACTIVITY', payload: { activity } });
  return passed;
}

const buttons = {
  to: ['u1'],
  actions: [
    { type: 'imBack', title: 'Who can I call?', value: 'Who can I call?' },
    { type: 'imBack', title: 'Back to the menu', value: 'Back to the menu' },
  ],
};
const whatNext = {
  type: 'message',
  from: { role: 'bot' },
  text: 'What next?',
  suggestedActions: buttons,
  value: { type: 'safeguarding.question', id: 'ref-next', expects: 'choice', turnId: 40 },
};
const reached = { type: 'message', from: { role: 'bot' }, text: 'Your referral has reached the MASH.' };
const list = {
  type: 'message',
  from: { role: 'bot' },
  text: 'Which?',
  suggestedActions: buttons,
  value: { type: 'safeguarding.question', id: 'screen-people', expects: 'multichoice', turnId: 3, choices: [{ value: 'a', title: 'A' }] },
};

describe('the web chat store middleware (issue 20 items 4 and 5)', () => {
  it('gives a message the service sends by itself the buttons of the question still waiting', () => {
    const [, after] = through([whatNext, reached]);
    expect(after.suggestedActions).toEqual(buttons);
    expect(after.text).toBe(reached.text);
  });

  it('ends them once the professional has sent anything', () => {
    const [, , after] = through([whatNext, { type: 'message', from: { role: 'user' }, text: 'hello' }, reached]);
    expect(after.suggestedActions).toBeUndefined();
  });

  it('never carries buttons over to another question, or from a message that is not a question', () => {
    const question = { type: 'message', from: { role: 'bot' }, text: 'How old?', value: { type: 'safeguarding.question', id: 'screen-age', expects: 'number', turnId: 41 } };
    expect(through([whatNext, question])[1].suggestedActions).toBeUndefined();
    const menuLike = { type: 'message', from: { role: 'bot' }, text: 'Pick', suggestedActions: buttons };
    expect(through([menuLike, reached])[1].suggestedActions).toBeUndefined();
  });

  it('takes the single-click buttons off a multiple-choice question (its checkboxes send every tick at once)', () => {
    const [shown] = through([list]);
    expect(shown.suggestedActions).toBeUndefined();
    expect(shown.value).toEqual(list.value);
    expect(list.suggestedActions).toBe(buttons); // the incoming activity itself is not changed
  });
});
