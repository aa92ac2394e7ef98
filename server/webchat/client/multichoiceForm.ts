import { createElement as h, useState, type ReactElement } from 'react';
import { hooks } from 'botframework-webchat';
import { none, type MultichoiceQuestion } from './multichoiceQuestion';
import type { ChatWords } from './chatWords';

/** What the professional has ticked, per question and turn: kept outside React, so a re-render or a remounted Web Chat never drops a tick. */
interface Ticks {
  signs: string[];
  none: boolean;
  sent?: string;
}
const ticksByQuestion = new Map<string, Ticks>();

/** The form's state and what it may not do: "None of these" never silently clears a ticked sign (it is refused while one is ticked). */
function useTicks(key: string): [Ticks, (next: Ticks) => void] {
  const [ticks, setTicks] = useState<Ticks>(() => ticksByQuestion.get(key) ?? { signs: [], none: false });
  return [ticks, (next) => (ticksByQuestion.set(key, next), setTicks(next))];
}

/**
 * Whether the professional has sent anything since this question (typed "1, 3", or this form): then the
 * form is done, so an old form replayed on reload cannot be mistaken for the question waiting now.
 */
function useAnsweredSince(activityId: string | undefined): boolean {
  const [activities] = hooks.useActivities();
  const at = activityId ? activities.findIndex((a) => a.id === activityId) : -1;
  return at >= 0 && activities.slice(at + 1).some((a) => a.from?.role === 'user');
}

function checkbox(id: string, label: string, checked: boolean, disabled: boolean, onChange: (checked: boolean) => void, describedBy?: string): ReactElement {
  return h(
    'div',
    { key: id, className: 'sg-choice' },
    h('input', { type: 'checkbox', id, checked, disabled, 'aria-describedby': describedBy, onChange: (e: { target: { checked: boolean } }) => onChange(e.target.checked) }),
    h('label', { htmlFor: id }, label),
  );
}

/**
 * A multiple-choice question as checkboxes with "None of these" and one Send (issue 20 item 4): the
 * answer goes as one submit carrying every ticked value (`{ questionId, turnId, answer }`, the card
 * submit the bot reads on every channel), so no sign is lost to a single-click button. Typing "1, 3" or
 * "none" in the send box still works: the runtime reads both.
 */
export function MultichoiceForm({ question, activityId, say }: { question: MultichoiceQuestion; activityId?: string; say: ChatWords }): ReactElement {
  const key = `${question.id}:${question.turnId}`;
  const [ticks, setTicks] = useTicks(key);
  const [problem, setProblem] = useState<string>();
  const sendMessageBack = hooks.useSendMessageBack();
  const focus = hooks.useFocus();
  const answered = useAnsweredSince(activityId);
  const base = `sg-mc-${question.id}-${question.turnId}`;
  const sent = ticks.sent !== undefined || answered;

  const toggleSign = (value: string, checked: boolean) => {
    setProblem(undefined);
    const signs = checked ? [...ticks.signs, value] : ticks.signs.filter((s) => s !== value);
    setTicks({ signs, none: checked ? false : ticks.none });
  };
  const toggleNone = (checked: boolean) => {
    if (checked && ticks.signs.length) return setProblem(say('chat-none-with-signs'));
    setProblem(undefined);
    setTicks({ signs: [], none: checked });
  };
  const send = (event: { preventDefault(): void }) => {
    event.preventDefault();
    if (sent) return;
    if (!ticks.none && !ticks.signs.length) return setProblem(say('card-pick-some'));
    const picked = question.choices.filter((c) => ticks.signs.includes(c.value));
    const noneLabel = question.noneTitle ?? say('card-none-of-these');
    const text = ticks.none ? noneLabel : picked.map((c) => c.title).join(', ');
    setTicks({ ...ticks, sent: text });
    sendMessageBack({ questionId: question.id, turnId: question.turnId, answer: ticks.none ? none : picked.map((c) => c.value) }, text, text);
    // The form is disabled once sent: keyboard focus goes to the message box, never lost to the page (issue 20 item 9).
    void focus('sendBox');
  };

  return h(
    'form',
    { className: 'sg-multichoice', onSubmit: send, noValidate: true },
    h(
      'fieldset',
      { disabled: sent, 'aria-describedby': `${base}-hint` },
      h('legend', null, say('card-your-answer')),
      h('p', { id: `${base}-hint`, className: 'sg-hint' }, say('chat-pick-signs')),
      ...question.choices.map((c, i) => checkbox(`${base}-${i}`, c.title, ticks.signs.includes(c.value), sent, (on) => toggleSign(c.value, on))),
      checkbox(`${base}-none`, question.noneTitle ?? say('card-none-of-these'), ticks.none, sent, toggleNone, problem ? `${base}-problem` : undefined),
      h('p', { id: `${base}-problem`, className: 'sg-problem', role: 'status' }, problem ?? ''),
      ticks.sent !== undefined
        ? h('p', { className: 'sg-sent' }, say('chat-answer-sent', { answer: ticks.sent }))
        : sent
          ? null
          : h('button', { type: 'submit' }, say('card-send')),
    ),
  );
}
