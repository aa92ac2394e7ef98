import { createActor, type AnyMachineSnapshot, type AnyStateNode, type Snapshot } from 'xstate';
import { fillCallTokens } from './advice/callTokens';
import { reviewDueText } from './advice/packCurrency';
import { parseAnswer, parseSubmittedAnswer, withChoices, type ParsedAnswer } from './answers';
import { detectCommand, detectGreeting, isEmergency, rankIntents } from './commands';
import type { ContentPack, PackQuestion } from './content/packSchema';
import { DomainError } from './errors';
import { faqMessage, findFaq } from './faqs';
import { createConversationMachine, type ConversationMachine } from './machines/conversationMachine';
import type { ReferralDelivery } from './machines/referral/referralPhone';
import { formRefusedText, readQuestionForm, withFormEcho } from './machines/referral/questionForm';
import type { AnswerIdentity, Choice, Effect, FlowEmitted, FlowEvent, OutgoingMessage, SubmitReport, TurnInput, TurnMeta, TurnResult } from './protocol';
import { questionProgress, type QuestionProgress } from './progress';
import { maxTrailLength, type ConversationRecord } from './record';
import { emergencyMessage, packQuestion, questionMessage, sayMessage, views } from './views';

type ConversationActor = ReturnType<typeof createActor<ConversationMachine>>;

interface Running {
  actor: ConversationActor;
  emitted: FlowEmitted[];
}

function isMachineSnapshot(value: unknown): value is AnyMachineSnapshot {
  return typeof value === 'object' && value !== null && typeof (value as AnyMachineSnapshot).getMeta === 'function';
}

/**
 * A state that asks something has `meta.question` (a pack question id). With `meta.dynamicChoices` the
 * choices are the machine's `context.choices` (they depend on earlier answers), not the pack's. With
 * `meta.textFrom` the string in that context key (when there is one) is shown after the pack's text: what
 * only the flow knows, such as the summary of a referral to check, while the words around it stay the pack's.
 */
interface QuestionMeta {
  question?: string;
  dynamicChoices?: boolean;
  textFrom?: string;
  valuesFrom?: string;
}

/** The question being asked, with its choices when the flow supplies them, and the flow's text after the pack's. */
export interface ActiveQuestion {
  id: string;
  choices?: Choice[];
  text?: string;
  /** What the question's form shows filled in (`meta.valuesFrom`), keyed "block.field". */
  values?: Record<string, string>;
}

function activeChildren(snapshot: AnyMachineSnapshot): AnyMachineSnapshot[] {
  const children = Object.values((snapshot.children ?? {}) as Record<string, { getSnapshot(): unknown } | undefined>);
  return children.map((child) => child?.getSnapshot()).filter((s): s is AnyMachineSnapshot => isMachineSnapshot(s) && s.status === 'active');
}

function flowText(snapshot: AnyMachineSnapshot, key: string | undefined): string | undefined {
  const value = key ? (snapshot.context as Record<string, unknown> | undefined)?.[key] : undefined;
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function flowValues(snapshot: AnyMachineSnapshot, key: string | undefined): Record<string, string> | undefined {
  const value = key ? (snapshot.context as Record<string, unknown> | undefined)?.[key] : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  const values = Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string');
  return values.length > 0 ? Object.fromEntries(values) : undefined;
}

/** The deepest active flow that asks something, and the id of its state that asks. */
function askingFlow(snapshot: AnyMachineSnapshot): { flow: AnyMachineSnapshot; stateId: string; meta: QuestionMeta & { question: string } } | undefined {
  for (const child of activeChildren(snapshot)) {
    const found = askingFlow(child);
    if (found) return found;
  }
  const metas = Object.entries(snapshot.getMeta() as Record<string, QuestionMeta | undefined>);
  const asking = metas.find(([, m]) => typeof m?.question === 'string');
  return asking ? { flow: snapshot, stateId: asking[0], meta: asking[1] as QuestionMeta & { question: string } } : undefined;
}

/** "Question 5 of about 12" for the question waiting, from its flow's graph and the answers in the trail. */
function progressOf(snapshot: AnyMachineSnapshot, trail: readonly FlowEvent[]): QuestionProgress | undefined {
  const asking = askingFlow(snapshot);
  return asking ? questionProgress(asking.flow.machine, asking.stateId, asking.flow.context, trail) : undefined;
}

/** The question the conversation is waiting on: the deepest active flow's `meta.question`. */
export function activeQuestion(root: AnyMachineSnapshot): ActiveQuestion | undefined {
  const asking = askingFlow(root);
  if (!asking) return undefined;
  const { flow: snapshot, meta } = asking;
  const text = flowText(snapshot, meta.textFrom);
  const values = flowValues(snapshot, meta.valuesFrom);
  const asked: ActiveQuestion = { id: meta.question, ...(text ? { text } : {}), ...(values ? { values } : {}) };
  if (!meta.dynamicChoices) return asked;
  const choices = (snapshot.context as { choices?: Choice[] } | undefined)?.choices;
  return { ...asked, choices: Array.isArray(choices) ? choices : [] };
}

/**
 * A checkpoint is a state `back` cannot cross: the menu (tag `menu`), or a flow's state tagged
 * `checkpoint` after a step that cannot be undone (a referral already in the outbox).
 */
function atCheckpoint(snapshot: AnyMachineSnapshot): boolean {
  return snapshot.hasTag('menu') || snapshot.hasTag('checkpoint') || activeChildren(snapshot).some(atCheckpoint);
}

/** The last event `back` can undo (an answer or an intent): `CORRECTED` notes are not steps of their own. */
function lastUndoable(trail: readonly FlowEvent[]): number {
  for (let i = trail.length - 1; i >= 0; i -= 1) if (trail[i].type !== 'CORRECTED') return i;
  return -1;
}

/** Who answers, as the bot layer knows them: stamped on every answer like `at`. */
function answeredBy(meta: TurnMeta): AnswerIdentity {
  const by: AnswerIdentity = { channelId: meta.channelId };
  if (meta.userName) by.name = meta.userName;
  if (meta.userRole) by.role = meta.userRole;
  if (meta.userOrganisation) by.organisation = meta.userOrganisation;
  if (meta.userEmail) by.email = meta.userEmail;
  if (meta.userPhone) by.phone = meta.userPhone;
  return by;
}

export function activeQuestionId(snapshot: AnyMachineSnapshot): string | undefined {
  return activeQuestion(snapshot)?.id;
}

function questionIdsOf(node: AnyStateNode): string[] {
  const question = (node.meta as QuestionMeta | undefined)?.question;
  const own = typeof question === 'string' ? [question] : [];
  return own.concat(...Object.values(node.states).map(questionIdsOf));
}

/** The question ids of the root and of every flow machine registered in its `actors`. */
function allQuestionIds(machine: ConversationMachine): string[] {
  const flows = Object.values((machine.implementations.actors ?? {}) as Record<string, { root?: AnyStateNode }>);
  return questionIdsOf(machine.root).concat(...flows.map((logic) => (logic.root ? questionIdsOf(logic.root) : [])));
}

/**
 * The version saved with a snapshot: the root's and every flow's, so changing any flow machine makes
 * old snapshots restart politely instead of being restored into states that no longer exist.
 */
export function versionTag(machine: ConversationMachine): string {
  const flows = Object.entries((machine.implementations.actors ?? {}) as Record<string, { id?: string; version?: string }>)
    .map(([key, logic]) => `${key}@${logic.version ?? '0'}`)
    .sort();
  return [`${machine.id}@${machine.version ?? '0'}`, ...flows].join('+');
}

/** A message with `{{call-now}}` / `{{call:ID}}` filled at `now` in its text and its card's facts. */
export function withCallTokens(pack: ContentPack, message: OutgoingMessage, now: Date): OutgoingMessage {
  const fill = (text: string) => fillCallTokens(pack, text, now);
  const card = message.card && { ...message.card, facts: message.card.facts.map((f) => ({ title: f.title, value: fill(f.value) })) };
  return { ...message, text: fill(message.text), ...(card ? { card } : {}) };
}

/** The question asked when "restart" is typed mid-flow (a question id: a contract for channels and tests). */
export const confirmRestartId = 'confirm-restart';

/** The apology when a stored conversation could not be read (optional in a pack: `version-restart` otherwise). */
export const unreadableRestartKey = 'unreadable-restart';

export interface RuntimeOptions {
  pack: ContentPack;
  machine?: ConversationMachine;
  /** `REFERRALS`: how a confirmed referral reaches the MASH (queued, or phoned through). Default `mash`. */
  referrals?: ReferralDelivery;
}

/**
 * Runs one turn of a conversation as a pure function: restore the actor from the stored record, apply
 * what the professional said, and return the new record, the messages to send and the effects to run.
 * Nothing here does I/O, so a turn can be retried safely when the store reports a conflict.
 */
export function createRuntime({ pack, referrals, machine = createConversationMachine(pack, { referrals }) }: RuntimeOptions) {
  const machineVersion = versionTag(machine);
  for (const id of allQuestionIds(machine)) packQuestion(pack, id); // fail at start-up, not mid-conversation

  function start(snapshot?: Snapshot<unknown>): Running {
    const emitted: FlowEmitted[] = [];
    const actor = snapshot ? createActor(machine, { snapshot }) : createActor(machine);
    actor.on('*', (event) => emitted.push(event));
    // Observing errors stops xstate from re-throwing them on a timer (which would crash the process);
    // a failed actor is detected through its status instead.
    actor.subscribe({ error: () => undefined });
    actor.start();
    return { actor, emitted };
  }

  /** The question waiting, parsed and shown against the flow's choices when it supplies them. */
  function currentQuestion(running: Running): ActiveQuestion & { question: PackQuestion } {
    const snapshot = running.actor.getSnapshot();
    const active = snapshot.status === 'active' ? activeQuestion(snapshot) : undefined;
    if (!active) throw new DomainError('SG-INTERNAL', `machine ${machine.id} is waiting on no question`);
    return { ...active, question: withChoices(packQuestion(pack, active.id), active.choices) };
  }

  /** An unknown machine version or an unreadable snapshot restarts politely instead of failing the turn. */
  function restore(stored: ConversationRecord | undefined): { running: Running; restarted: boolean } {
    if (!stored) return { running: start(), restarted: false };
    if (stored.machineId !== machine.id || stored.machineVersion !== machineVersion) {
      return { running: start(), restarted: true };
    }
    try {
      const running = start(stored.snapshot as Snapshot<unknown>);
      currentQuestion(running);
      return { running, restarted: false };
    } catch {
      return { running: start(), restarted: true };
    }
  }

  /** Replays from the last checkpoint's snapshot, so what the root carried into it (a screening) survives `back`. */
  function replay(trail: FlowEvent[], base?: Snapshot<unknown>): Running {
    const running = start(base);
    for (const event of trail) running.actor.send(event);
    running.emitted.length = 0; // a replay re-plays decisions, not their messages or effects
    return running;
  }

  /**
   * `unreadable`: a record was stored but could not be decrypted or validated (the store passes
   * `stored` as undefined then). It restarts like a version change, with the pack's apology, instead of
   * greeting the professional as new and reading their answer as a menu choice (reliability F12).
   */
  function runTurn(stored: ConversationRecord | undefined, input: TurnInput, meta: TurnMeta, options: { unreadable?: boolean } = {}): TurnResult<ConversationRecord> {
    const messages: OutgoingMessage[] = [];
    const effects: Effect[] = [];
    const restored = options.unreadable ? { running: start(), restarted: true } : restore(stored);
    let running = restored.running;
    let trail: FlowEvent[] = restored.restarted || !stored ? [] : [...stored.trail];
    // An empty trail starts at the stored snapshot itself; a record from before `base` replays from a fresh actor.
    let base = restored.restarted || !stored ? undefined : stored.trail.length === 0 ? stored.snapshot : stored.base;
    const isNew = !stored || restored.restarted;
    let submitted: SubmitReport | undefined;
    let formRefused: { id: string; values: Record<string, string>; errors: Record<string, string> } | undefined;

    const drain = () => {
      for (const event of running.emitted.splice(0)) {
        if (event.type === 'say') messages.push(sayMessage(pack, event.key));
        else if (event.type === 'message') messages.push(event.message);
        else if (event.type === 'show') messages.push(...(views[event.view]?.(pack, event.data, { now: meta.now }) ?? []));
        else effects.push(event.effect);
      }
    };
    const send = (event: FlowEvent) => {
      running.actor.send(event);
      trail.push(event);
      drain();
    };
    const restart = (key: string) => {
      running.actor.stop();
      running = start();
      trail = [];
      base = undefined;
      messages.push(sayMessage(pack, key));
    };
    const apply = (parsed: ParsedAnswer, questionId: string, text?: string) => {
      // `at` lets flows stamp decisions and derive unique ids without reading the clock themselves.
      const stamps = { at: meta.now.toISOString(), ...(meta.conversationKey ? { ref: meta.conversationKey } : {}), by: answeredBy(meta) };
      if (parsed.ok) return send({ type: 'ANSWER', questionId, value: parsed.value, ...stamps });
      const intent = text ? rankIntents(text, pack.intents).find((i) => running.actor.getSnapshot().can({ type: 'INTENT', intent: i })) : undefined;
      if (intent) return send({ type: 'INTENT', intent });
      // A common question asked mid-flow gets its short answer, then the same question again: nobody loses their place.
      const faq = text ? findFaq(pack, text) : undefined;
      if (faq) return void messages.push(faqMessage(pack, faq));
      // A validator's reason says what is wrong and how to put it right; otherwise the question's own re-ask.
      messages.push({ text: parsed.reason ?? packQuestion(pack, questionId).reask ?? sayMessage(pack, 'reask').text });
    };
    const parsing = { now: meta.now };
    const welcome = (key: string) => {
      messages.push(sayMessage(pack, key));
      // An overdue review is said after every welcome, and never stops the service.
      const due = reviewDueText(pack, meta.now);
      if (due) messages.push({ text: due });
    };

    if (restored.restarted) messages.push(sayMessage(pack, options.unreadable && pack.messages[unreadableRestartKey] ? unreadableRestartKey : 'version-restart'));
    drain();
    // An answer meant for a question we could not restore is not read as an answer to the menu; an
    // emergency still gets the emergency advice.
    const unanswerable = restored.restarted && input.kind === 'text' && detectCommand(input.text) !== 'emergency';

    // "restart" mid-flow asks first (issue 20): this turn may be the answer to that question.
    let confirmingRestart = false;
    const confirming = stored?.confirmingRestart === true && !restored.restarted;
    const confirmQuestion = confirming ? packQuestion(pack, confirmRestartId) : undefined;
    const confirmed = !confirmQuestion
      ? undefined
      : input.kind === 'text'
        ? parseAnswer(confirmQuestion, input.text, { now: meta.now })
        : input.kind === 'submit' && input.questionId === confirmRestartId
          ? parseSubmittedAnswer(confirmQuestion, input.answer, { now: meta.now })
          : undefined;
    if (confirming && input.kind === 'submit' && input.questionId === confirmRestartId) {
      const shown = questionMessage(pack, confirmRestartId, stored?.turn ?? 0);
      submitted = confirmed?.ok ? { status: 'accepted', question: shown, answer: confirmed.value } : { status: 'invalid', question: shown };
    }

    if (confirmed?.ok && confirmed.value === 'yes') {
      restart('restarted');
    } else if (confirmed?.ok && confirmed.value === 'no') {
      messages.push(sayMessage(pack, 'restart-cancelled'));
    } else if (confirming && input.kind === 'reask') {
      confirmingRestart = true; // a redelivery asks the same confirmation again
    } else if (input.kind === 'start') {
      welcome(isNew ? 'welcome' : 'welcome-back');
    } else if (unanswerable) {
      // The apology said it all; the menu follows.
    } else if (input.kind === 'reask') {
      if (isNew) welcome('welcome');
    } else if (input.kind === 'resume') {
      // An unfinished referral goes on only from the menu: mid-flow, the professional finishes or restarts first.
      if (currentQuestion(running).id !== 'menu') messages.push(sayMessage(pack, 'ref-resume-busy'));
      else {
        running.actor.send({ type: 'RESUME', draft: input.draft });
        drain();
        // The resumed referral is where `back` stops: nothing before it is in this conversation to go back to.
        trail = [];
      }
    } else if (input.kind === 'submit') {
      const { id, question, choices, text } = currentQuestion(running);
      const stale = (input.questionId !== undefined && input.questionId !== id) || (input.turnId !== undefined && input.turnId !== stored?.turn);
      if (stale) {
        messages.push(sayMessage(pack, 'moved-on'));
        submitted = { status: 'stale' };
      } else {
        // A form is read whole: its answers, or each field's error and everything typed to show again.
        const form = readQuestionForm(pack, id, input.answer, meta.now);
        if (form && !form.ok) formRefused = { id, values: form.values, errors: form.errors };
        // A form that mentions danger gets the emergency advice first, as typing it would; what was sent still counts.
        if (form && Object.values(input.answer as Record<string, unknown>).some((v) => typeof v === 'string' && isEmergency(v))) messages.push(emergencyMessage(pack));
        const parsed: ParsedAnswer = form ? (form.ok ? { ok: true, value: form.entries } : { ok: false }) : parseSubmittedAnswer(question, input.answer, parsing);
        // The question as its card showed it, so the channel can turn that card into a record of the answer.
        const shown = questionMessage(pack, id, stored?.turn ?? 0, choices, text);
        // A form's record is its entries in words, not as kept in the draft.
        const answer = form?.ok ? form.lines : parsed.ok ? parsed.value : undefined;
        submitted = answer !== undefined ? { status: 'accepted', question: shown, answer } : { status: 'invalid', question: shown };
        if (form && !form.ok) messages.push({ text: formRefusedText(pack, form.problems) });
        else apply(parsed, id);
      }
    } else {
      const { id, question } = currentQuestion(running);
      const command = detectCommand(input.text);
      const greeting = command ? undefined : detectGreeting(input.text, pack.greetings);
      if (command === 'emergency') {
        messages.push(emergencyMessage(pack));
        // A free-text answer that mentions danger is still the answer: warn first, never swallow it.
        if (question.expects === 'text') apply(parseAnswer(question, input.text, parsing), id, input.text);
      } else if (command === 'help') {
        messages.push({ text: question.help ?? sayMessage(pack, 'help').text });
      } else if (command === 'restart') {
        // At the menu there is nothing to lose; anywhere else the answers so far would go: ask first.
        if (id === 'menu') restart('restarted');
        else confirmingRestart = true;
      } else if (command === 'coordinator' && running.actor.getSnapshot().can({ type: 'INTENT', intent: 'coordinator' })) {
        // Asking for a person works at every question, text ones included, and keeps what was carried.
        send({ type: 'INTENT', intent: 'coordinator' });
      } else if (command === 'back') {
        const undo = lastUndoable(trail);
        if (undo < 0) messages.push(sayMessage(pack, 'back-at-start'));
        else {
          const undone = trail[undo];
          running.actor.stop();
          // Every correction noted so far stays: going back twice must not forget the first one.
          trail = [...trail.slice(0, undo), ...trail.slice(undo + 1).filter((e) => e.type === 'CORRECTED')];
          running = replay(trail, base as Snapshot<unknown> | undefined);
          messages.push(sayMessage(pack, 'went-back'));
          // The flow is told which answer was undone; flows that do not care ignore it (no message, no effect).
          if (undone.type === 'ANSWER') send({ type: 'CORRECTED', questionId: undone.questionId, value: undone.value, ...(undone.at ? { at: undone.at } : {}) });
        }
      } else if (greeting) {
        // Never an answer: "hi" must not answer a safety question, nor "thanks" a text box that takes anything.
        if (isNew) welcome('welcome');
        else messages.push(sayMessage(pack, id === 'menu' ? greeting.reply : greeting.midQuestion));
      } else {
        apply(parseAnswer(question, input.text, parsing), id, input.text);
      }
    }

    // A stale card changes nothing, not even the turn id, so the card that is live still answers.
    const keepTurn = stored !== undefined && !restored.restarted && submitted?.status === 'stale';
    const turn = keepTurn && stored ? stored.turn : (stored?.turn ?? 0) + 1;
    const asking = currentQuestion(running);
    const progress = confirmingRestart ? undefined : progressOf(running.actor.getSnapshot(), trail);
    const asked = confirmingRestart ? questionMessage(pack, confirmRestartId, turn) : questionMessage(pack, asking.id, turn, asking.choices, asking.text, progress);
    // A refused form comes back filled in, with each field's error: nothing typed is lost. Otherwise the
    // form shows what the flow already knows (the concern the professional wrote before).
    const echo = confirmingRestart ? undefined : formRefused?.id === asking.id ? formRefused : asking.values ? { values: asking.values } : undefined;
    messages.push(echo ? withFormEcho(asked, echo) : asked);
    const persisted = running.actor.getPersistedSnapshot() as unknown as Record<string, unknown>;
    if (atCheckpoint(running.actor.getSnapshot())) trail = [];
    running.actor.stop();
    const now = meta.now.toISOString();
    const record: ConversationRecord = {
      machineId: machine.id,
      machineVersion,
      snapshot: persisted,
      trail: trail.slice(-maxTrailLength),
      ...(trail.length > 0 && base ? { base: base } : {}),
      turn,
      contentVersion: pack.version,
      startedAt: isNew || !stored ? now : stored.startedAt,
      updatedAt: now,
      ...(confirmingRestart ? { confirmingRestart: true as const } : {}),
    };
    // Phone numbers are filled at the moment of sending: the line open now, with its alternative.
    const timed = (message: OutgoingMessage) => withCallTokens(pack, message, meta.now);
    const shown = submitted?.question ? { ...submitted, question: timed(submitted.question) } : submitted;
    return { record, messages: messages.map(timed), effects, ...(shown ? { submitted: shown } : {}) };
  }

  return { machineId: machine.id, machineVersion, contentVersion: pack.version, pack, runTurn };
}

export type ConversationRuntime = ReturnType<typeof createRuntime>;
export { isEmergency };
