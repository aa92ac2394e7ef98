import type { AnyStateMachine, AnyStateNode } from 'xstate';
import type { FlowEvent } from './protocol';

/**
 * "Question 5 of about 12" (issue 20 item 6): where a professional is in a flow, computed from the flow
 * machine's own graph, so it needs no list kept by hand and follows the machine when it changes.
 *
 * `about` is the questions answered so far in this flow plus the questions left on the typical path that
 * completes it: at each question the transition any answer takes (not the detour a particular answer
 * takes), at each decision the default. Guards are not evaluated (the graph is read statically), and paths that leave the flow
 * without completing it (cancelled, "not now", an emergency hand-over) are not counted as its end, or every
 * question would be "of about" itself: the end of a flow is one of its final states named below.
 */
export interface QuestionProgress {
  /** The question being asked, counting from 1 within its flow. */
  current: number;
  /** About how many questions the flow takes on its shortest completing path; never below `current`. */
  about: number;
}

/** Final states that complete a flow (rather than leave it): the names the flow machines give them. */
const completingEnds = new Set(['done', 'sent', 'opened', 'toScreening']);

/** Events that are not the typical way on: a menu intent or a correction leaves or rewinds the path. */
const ignoredEvents = /^(INTENT|CORRECTED|xstate\.error\.)/;

/** The leaf states entered when `node` is targeted: its initial descendants. */
function entered(node: AnyStateNode): AnyStateNode[] {
  if (node.type === 'atomic' || node.type === 'final') return [node];
  if (node.type === 'history') return node.parent ? entered(node.parent) : [];
  if (node.type === 'parallel') return Object.values(node.states).flatMap(entered);
  return node.initial.target.flatMap(entered);
}

type Definition = AnyStateNode['always'] extends Array<infer D> | undefined ? D : never;

/** An answer transition taken on any answer to its question (`answered(question)`), or on any event at all. */
function takesAny(definition: Definition): boolean {
  const guard = definition.guard as { type?: unknown; params?: { value?: unknown } } | undefined;
  return guard === undefined || (typeof guard === 'object' && guard.type === 'answered' && guard.params?.value === undefined);
}

/**
 * The way on from a list of transitions. `typical`: a question's catch-all answer and an `always` without
 * a guard are the path most answers take; the specific answers beside them ("yes, missing right now", "not
 * now") are detours, counted only where a state has no catch-all.
 */
function taken(definitions: readonly Definition[], typical: boolean): readonly Definition[] {
  const usual = definitions.filter(takesAny);
  return typical && usual.length > 0 ? usual : definitions;
}

/** Whether a guard holds in the flow's context now: undefined when it cannot be told (it reads the event, or throws). */
type Judge = (guard: unknown) => boolean | undefined;

function judgeIn(machine: AnyStateMachine, context: unknown): Judge {
  const guards = (machine.implementations.guards ?? {}) as Record<string, unknown>;
  const event = { type: 'xstate.progress' };
  return (guard) => {
    const { type, params } = typeof guard === 'string' ? { type: guard, params: undefined } : ((guard ?? {}) as { type?: unknown; params?: unknown });
    const check = typeof type === 'string' ? guards[type] : undefined;
    if (typeof check !== 'function') return undefined;
    try {
      const resolved = typeof params === 'function' ? (params as (args: unknown) => unknown)({ context, event }) : params;
      const held: unknown = (check as (args: unknown, params: unknown) => unknown)({ context, event }, resolved);
      return typeof held === 'boolean' ? held : undefined;
    } catch {
      return undefined;
    }
  };
}

/**
 * The `always` transitions the flow would take: decided by their guards where the context already tells
 * (the mode a flow was opened in, what an earlier flow carried), in order like xstate; a guard that depends
 * on answers not yet given is a shortcut some answer opens, not the typical way on.
 */
function decided(definitions: readonly Definition[], judge: Judge): Definition[] {
  for (const definition of definitions) {
    if (definition.guard === undefined) return [definition];
    if (judge(definition.guard) === true) return [definition];
  }
  return [];
}

/** Where a leaf can go next: its own and its ancestors' transitions (an ancestor's answer applies too). */
function successors(leaf: AnyStateNode, typical: boolean, judge: Judge): AnyStateNode[] {
  const next: AnyStateNode[] = [];
  const follow = (definitions: readonly Definition[]) => {
    for (const definition of taken(definitions, typical)) next.push(...(definition.target ?? []).flatMap(entered));
  };
  for (let node: AnyStateNode | undefined = leaf; node; node = node.parent) {
    for (const [event, definitions] of node.transitions) if (!ignoredEvents.test(event)) follow(definitions);
    if (node.always?.length) follow(typical ? decided(node.always, judge) : node.always);
  }
  return next;
}

function leavesOf(node: AnyStateNode): AnyStateNode[] {
  return allNodes(node).filter((n) => Object.keys(n.states).length === 0);
}

function asks(node: AnyStateNode): boolean {
  return typeof (node.meta as { question?: unknown } | undefined)?.question === 'string';
}

function isCompletingEnd(machine: AnyStateMachine, node: AnyStateNode): boolean {
  return node.type === 'final' && node.parent === machine.root && completingEnds.has(node.key);
}

/** For each leaf state id: the fewest questions (its own included) left before the flow completes. */
function shortestLeft(machine: AnyStateMachine, typical: boolean, judge: Judge): Map<string, number> {
  const leaves = leavesOf(machine.root);
  const edges = new Map(leaves.map((leaf) => [leaf.id, leaf.type === 'final' && leaf.parent === machine.root ? [] : successors(leaf, typical, judge)]));
  const left = new Map(leaves.map((leaf) => [leaf.id, isCompletingEnd(machine, leaf) ? 0 : Infinity]));
  // Shortest paths by relaxation: the graphs are a few dozen states, and cycles (loops back) are fine.
  for (let changed = true, rounds = 0; changed && rounds <= leaves.length; rounds += 1) {
    changed = false;
    for (const leaf of leaves) {
      const best = Math.min(...(edges.get(leaf.id) ?? []).map((next) => left.get(next.id) ?? Infinity));
      const cost = (asks(leaf) ? 1 : 0) + best;
      if (cost < (left.get(leaf.id) ?? Infinity)) {
        left.set(leaf.id, cost);
        changed = true;
      }
    }
  }
  return left;
}

/** The typical path's count, or the shortest path's where the typical path cannot complete the flow. */
function questionsLeftBy(machine: AnyStateMachine, judge: Judge): Map<string, number> {
  const typical = shortestLeft(machine, true, judge);
  const any = shortestLeft(machine, false, judge);
  return new Map([...typical].map(([id, left]) => [id, Number.isFinite(left) ? left : (any.get(id) ?? Infinity)]));
}

/**
 * The context reaches the walk only through the verdicts of the `always` guards (`decided`), so the walk is
 * cached per machine under those verdicts: exact, one walk per distinct set of verdicts (issue 23 item 3:
 * walking again every turn was 4 to 5 % of a Redis turn's CPU).
 */
const walks = new WeakMap<AnyStateMachine, { guards: unknown[]; byVerdicts: Map<string, Map<string, number>> }>();

function questionsLeft(machine: AnyStateMachine, context: unknown): Map<string, number> {
  let cached = walks.get(machine);
  if (!cached) {
    const guards = allNodes(machine.root).flatMap((node) => (node.always ?? []).flatMap((definition) => (definition.guard === undefined ? [] : [definition.guard])));
    cached = { guards, byVerdicts: new Map() };
    walks.set(machine, cached);
  }
  const judge = judgeIn(machine, context);
  const verdicts = new Map(cached.guards.map((guard) => [guard, judge(guard)]));
  const key = cached.guards.map((guard) => String(verdicts.get(guard))).join(',');
  let left = cached.byVerdicts.get(key);
  if (!left) {
    // A bound for safety; a flow's guards take a handful of verdict sets in practice.
    if (cached.byVerdicts.size >= 256) cached.byVerdicts.clear();
    left = questionsLeftBy(machine, (guard) => (verdicts.has(guard) ? verdicts.get(guard) : judge(guard)));
    cached.byVerdicts.set(key, left);
  }
  return left;
}

function allNodes(node: AnyStateNode): AnyStateNode[] {
  return [node, ...Object.values(node.states).flatMap(allNodes)];
}

function questionIdsOf(root: AnyStateNode): Set<string> {
  return new Set(allNodes(root).flatMap((node) => (asks(node) ? [(node.meta as { question: string }).question] : [])));
}

const questionSets = new WeakMap<AnyStateMachine, Set<string>>();

function questionsOf(machine: AnyStateMachine): Set<string> {
  let questions = questionSets.get(machine);
  if (!questions) {
    questions = questionIdsOf(machine.root);
    questionSets.set(machine, questions);
  }
  return questions;
}

/**
 * Answers given so far in the flow: the answers at the end of the trail to this flow's questions, back to
 * the first answer to another's (the menu, or the flow that handed over). `back` takes one off the trail,
 * so the count goes down with it.
 */
function answeredInFlow(trail: readonly FlowEvent[], questions: Set<string>): number {
  let count = 0;
  for (let i = trail.length - 1; i >= 0; i -= 1) {
    const event = trail[i];
    if (event.type !== 'ANSWER') continue;
    if (!questions.has(event.questionId)) break;
    count += 1;
  }
  return count;
}

/**
 * Progress at the question `stateId` of the flow `machine` in `context` (its snapshot's), or undefined
 * where the flow cannot complete from here, so no page ever shows "of about Infinity".
 */
export function questionProgress(machine: AnyStateMachine, stateId: string, context: unknown, trail: readonly FlowEvent[]): QuestionProgress | undefined {
  const left = questionsLeft(machine, context).get(stateId);
  if (left === undefined || !Number.isFinite(left) || left < 1) return undefined;
  const current = answeredInFlow(trail, questionsOf(machine)) + 1;
  return { current, about: current - 1 + left };
}
