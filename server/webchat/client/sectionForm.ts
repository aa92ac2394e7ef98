import { createElement as h, useState, type ReactElement } from 'react';
import { hooks } from 'botframework-webchat';
import type { SectionFormField, SectionFormQuestion } from './sectionFormQuestion';
import type { ChatWords } from './chatWords';

/** What was typed, per question and turn: kept outside React, so a re-render or a remounted Web Chat never drops it. */
const typedByQuestion = new Map<string, { values: Record<string, string>; sent?: string }>();

/** Whether the professional has sent anything since this question: then an old form replayed on reload is done. */
function useAnsweredSince(activityId: string | undefined): boolean {
  const [activities] = hooks.useActivities();
  const at = activityId ? activities.findIndex((a) => a.id === activityId) : -1;
  return at >= 0 && activities.slice(at + 1).some((a) => a.from?.role === 'user');
}

function input(field: SectionFormField, id: string, value: string, disabled: boolean, error: string | undefined, onChange: (value: string) => void): ReactElement {
  const common = {
    id,
    name: id,
    value,
    disabled,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : undefined,
    onChange: (e: { target: { value: string } }) => onChange(e.target.value),
  };
  if (field.kind === 'yesnounknown') {
    return h('select', common, h('option', { value: '' }, ''), ...field.choices.map((c) => h('option', { key: c.value, value: c.value }, c.title)));
  }
  if (field.kind === 'multiline') return h('textarea', { ...common, rows: 2, maxLength: field.maxLength });
  return h('input', { ...common, type: 'text', maxLength: field.maxLength, inputMode: field.kind === 'number' ? 'numeric' : undefined });
}

/**
 * A referral section as one form under its question (issue 21 item 2): a block of fields per person (or
 * agency) and one Send, sent as one submit (`{ questionId, turnId, answer: { "0.name": … } }`, the card
 * submit the bot reads on every channel). The service checks every field; a refused form comes back as
 * the question again with what was typed and each error under its field. Typing entries still works.
 */
export function SectionForm({ question, activityId, say }: { question: SectionFormQuestion; activityId?: string; say: ChatWords }): ReactElement {
  const key = `${question.id}:${question.turnId}`;
  const [typed, setTypedState] = useState(() => typedByQuestion.get(key) ?? { values: { ...question.values } });
  const setTyped = (next: typeof typed) => (typedByQuestion.set(key, next), setTypedState(next));
  const sendMessageBack = hooks.useSendMessageBack();
  const focus = hooks.useFocus();
  const answered = useAnsweredSince(activityId);
  const sent = typed.sent !== undefined || answered;
  const base = `sg-form-${question.id}-${question.turnId}`;

  const send = (event: { preventDefault(): void }) => {
    event.preventDefault();
    if (sent) return;
    const answer = Object.fromEntries(Object.entries(typed.values).filter(([, v]) => v.trim() !== ''));
    // The bubble says who was sent: the first field of each block filled in.
    const first = question.fields[0].name;
    const names = question.blocks.flatMap((_, i) => (answer[`${i}.${first}`] ? [answer[`${i}.${first}`]] : []));
    const text = names.join(', ') || say('card-none-of-these');
    setTyped({ ...typed, sent: text });
    sendMessageBack({ questionId: question.id, turnId: question.turnId, answer }, text, text);
    void focus('sendBox');
  };

  return h(
    'form',
    { className: 'sg-sectionform', onSubmit: send, noValidate: true },
    h('p', { className: 'sg-hint' }, question.hint),
    ...question.blocks.map((title, i) =>
      h(
        'fieldset',
        { key: `${base}-${i}`, disabled: sent },
        h('legend', null, title),
        ...question.fields.map((f) => {
          const id = `${base}-${i}-${f.name}`;
          const error = question.errors[`${i}.${f.name}`];
          const value = typed.values[`${i}.${f.name}`] ?? '';
          return h(
            'div',
            { key: id, className: 'sg-field' },
            h('label', { htmlFor: id }, f.label),
            input(f, id, value, sent, error, (v) => setTyped({ ...typed, values: { ...typed.values, [`${i}.${f.name}`]: v } })),
            error ? h('p', { id: `${id}-error`, className: 'sg-problem' }, error) : null,
          );
        }),
      ),
    ),
    typed.sent !== undefined ? h('p', { className: 'sg-sent' }, say('chat-answer-sent', { answer: typed.sent })) : sent ? null : h('button', { type: 'submit' }, say('card-send')),
  );
}
