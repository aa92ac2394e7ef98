import { createActor, type AnyMachineSnapshot, type AnyStateNode, type Snapshot } from 'xstate';
import { parseAnswer, parseSubmittedAnswer, type ParsedAnswer } from './answers';
import { detectCommand, detectIntents, isEmergency } from './commands';
import type { ContentPack, PackQuestion } from './content/packSchema';
import { DomainError } from './errors';
import { createConversationMachine, type ConversationMachine } from './machines/conversationMachine';
import type { Effect, FlowEmitted, FlowEvent, OutgoingMessage, TurnInput, TurnMeta, TurnResult } from './protocol';
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

/** The question the conversation is waiting on: the deepest active flow's `meta.question`. */
export function activeQuestionId(snapshot: AnyMachineSnapshot): string | undefined {
  const children = Object.values((snapshot.children ?? {}) as Record<string, { getSnapshot(): unknown } | undefined>);
  for (const child of children) {
    const childSnapshot = child?.getSnapshot();
    if (isMachineSnapshot(childSnapshot) && childSnapshot.status === 'active') {
      const id = activeQuestionId(childSnapshot);
      if (id) return id;
    }
  }
  const metas = Object.values(snapshot.getMeta() as Record<string, { question?: string } | undefined>);
  return metas.find((meta) => typeof meta?.question === 'string')?.question;
}

function questionIdsOf(node: AnyStateNode): string[] {
  const own = typeof node.meta?.question === 'string' ? [node.meta.question as string] : [];
  return own.concat(...Object.values(node.states).map(questionIdsOf));
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

export interface RuntimeOptions {
  pack: ContentPack;
  machine?: ConversationMachine;
}

/**
 * Runs one turn of a conversation as a pure function: restore the actor from the stored record, apply
 * what the professional said, and return the new record, the messages to send and the effects to run.
 * Nothing here does I/O, so a turn can be retried safely when the store reports a conflict.
 */
export function createRuntime({ pack, machine = createConversationMachine(pack) }: RuntimeOptions) {
  const machineVersion = versionTag(machine);
  for (const id of questionIdsOf(machine.root)) packQuestion(pack, id); // fail at start-up, not mid-conversation

  function start(snapshot?: Snapshot<unknown>): Running {
    const emitted: FlowEmitted[] = [];
    const actor = snapshot ? createActor(machine, { snapshot: snapshot as never }) : createActor(machine);
    actor.on('*', (event) => emitted.push(event as FlowEmitted));
    // Observing errors stops xstate from re-throwing them on a timer (which would crash the process);
    // a failed actor is detected through its status instead.
    actor.subscribe({ error: () => undefined });
    actor.start();
    return { actor, emitted };
  }

  function currentQuestion(running: Running): { id: string; question: PackQuestion } {
    const snapshot = running.actor.getSnapshot();
    const id = snapshot.status === 'active' ? activeQuestionId(snapshot) : undefined;
    if (!id) throw new DomainError('SG-INTERNAL', `machine ${machine.id} is waiting on no question`);
    return { id, question: packQuestion(pack, id) };
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

  function replay(trail: FlowEvent[]): Running {
    const running = start();
    for (const event of trail) running.actor.send(event);
    running.emitted.length = 0; // a replay re-plays decisions, not their messages or effects
    return running;
  }

  function runTurn(stored: ConversationRecord | undefined, input: TurnInput, meta: TurnMeta): TurnResult<ConversationRecord> {
    const messages: OutgoingMessage[] = [];
    const effects: Effect[] = [];
    const restored = restore(stored);
    let running = restored.running;
    let trail: FlowEvent[] = restored.restarted || !stored ? [] : [...stored.trail];
    const isNew = !stored || restored.restarted;
    const turn = (stored?.turn ?? 0) + 1;

    const drain = () => {
      for (const event of running.emitted.splice(0)) {
        if (event.type === 'say') messages.push(sayMessage(pack, event.key));
        else if (event.type === 'message') messages.push(event.message);
        else if (event.type === 'show') messages.push(...(views[event.view]?.(pack, event.data) ?? []));
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
      messages.push(sayMessage(pack, key));
    };
    const apply = (parsed: ParsedAnswer, questionId: string, text?: string) => {
      if (parsed.ok) return send({ type: 'ANSWER', questionId, value: parsed.value });
      const intent = text ? detectIntents(text, pack.intents).find((i) => running.actor.getSnapshot().can({ type: 'INTENT', intent: i })) : undefined;
      if (intent) return send({ type: 'INTENT', intent });
      messages.push({ text: packQuestion(pack, questionId).reask ?? sayMessage(pack, 'reask').text });
    };

    if (restored.restarted) messages.push(sayMessage(pack, 'version-restart'));
    drain();

    if (input.kind === 'start') {
      messages.push(sayMessage(pack, isNew ? 'welcome' : 'welcome-back'));
    } else if (input.kind === 'submit') {
      const { id, question } = currentQuestion(running);
      const stale = (input.questionId !== undefined && input.questionId !== id) || (input.turnId !== undefined && input.turnId !== stored?.turn);
      if (stale) messages.push(sayMessage(pack, 'moved-on'));
      else apply(parseSubmittedAnswer(question, input.answer), id);
    } else {
      const { id, question } = currentQuestion(running);
      const command = detectCommand(input.text);
      if (command === 'emergency') {
        messages.push(emergencyMessage(pack));
        // A free-text answer that mentions danger is still the answer: warn first, never swallow it.
        if (question.expects === 'text') apply(parseAnswer(question, input.text), id, input.text);
      } else if (command === 'help') {
        messages.push({ text: question.help ?? sayMessage(pack, 'help').text });
      } else if (command === 'restart') {
        restart('restarted');
      } else if (command === 'back') {
        if (trail.length === 0) messages.push(sayMessage(pack, 'back-at-start'));
        else {
          running.actor.stop();
          trail = trail.slice(0, -1);
          running = replay(trail);
          messages.push(sayMessage(pack, 'went-back'));
        }
      } else {
        apply(parseAnswer(question, input.text), id, input.text);
      }
    }

    messages.push(questionMessage(pack, currentQuestion(running).id, turn));
    const snapshot = running.actor.getSnapshot();
    if (snapshot.hasTag('menu')) trail = [];
    const persisted = running.actor.getPersistedSnapshot() as unknown as Record<string, unknown>;
    running.actor.stop();
    const now = meta.now.toISOString();
    const record: ConversationRecord = {
      machineId: machine.id,
      machineVersion,
      snapshot: persisted,
      trail: trail.slice(-maxTrailLength),
      turn,
      contentVersion: pack.version,
      startedAt: isNew || !stored ? now : stored.startedAt,
      updatedAt: now,
    };
    return { record, messages, effects };
  }

  return { machineId: machine.id, machineVersion, contentVersion: pack.version, runTurn };
}

export type ConversationRuntime = ReturnType<typeof createRuntime>;
export { isEmergency };
