import type { ContentPack } from '../../content/packSchema';
import type { ScreeningSection } from '../../content/screeningSchema';
import { DomainError } from '../../errors';
import { askThen } from '../flowKit';

/**
 * The state an indicator question is asked in: its id less `screen-`, camel-cased (`screen-money-online`
 * → `moneyOnline`). A saved conversation resumes by state name, so the name is derived from the question
 * id, a contract that never changes, and the states of questions asked before the list was data keep theirs.
 */
export function indicatorStateOf(question: string): string {
  return question.replace(/^screen-/, '').replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** The indicator ids `question` offers, in the pack's order. */
export function offersOf(section: ScreeningSection, question: string): readonly string[] {
  return section.indicatorQuestions.find((ask) => ask.id === question)?.offers ?? [];
}

/** The state of the first indicator question, where the missing questions go on to. */
export function firstIndicatorState(section: ScreeningSection): string {
  return indicatorStateOf(section.indicatorQuestions[0].id);
}

/**
 * One state per indicator question of the pack, in the pack's order, the last going on to `then`. Each
 * offers what it lists less what is already confirmed (`offerIndicators`), records what is ticked, and is
 * passed over when nothing is left to offer.
 */
export function indicatorStates(section: ScreeningSection, then: string) {
  const asks = section.indicatorQuestions;
  return Object.fromEntries(
    asks.map(({ id: question }, i) => {
      const next = i + 1 < asks.length ? indicatorStateOf(asks[i + 1].id) : then;
      const state = {
        ...askThen(question, next, ['stamp', 'confirmPicked'], { dynamicChoices: true }),
        entry: { type: 'offerIndicators' as const, params: { question } },
        always: { guard: 'noChoices' as const, target: next },
      };
      return [indicatorStateOf(question), state];
    }),
  );
}

/** Each indicator question is a multichoice pack question whose choices the flow supplies. */
export function checkIndicatorQuestions(pack: ContentPack, section: ScreeningSection): void {
  for (const { id: question } of section.indicatorQuestions) {
    const words = pack.questions[question];
    if (!words) throw new DomainError('SG-CONTENT-INVALID', `screening.indicatorQuestions: question "${question}" is not in pack ${pack.id}`);
    if (words.expects !== 'multichoice' || !words.dynamicChoices) {
      throw new DomainError('SG-CONTENT-INVALID', `screening.indicatorQuestions: question "${question}" must be multichoice with dynamicChoices`);
    }
  }
}

/**
 * A generated state whose name a fixed state of the machine already had would lose to it (the fixed
 * states are spread after), so the question would silently never be asked: refuse the pack instead.
 */
export function checkIndicatorStates(section: ScreeningSection, states: Record<string, { meta?: unknown }>): void {
  for (const { id: question } of section.indicatorQuestions) {
    const meta = states[indicatorStateOf(question)]?.meta as { question?: string } | undefined;
    if (meta?.question !== question) {
      throw new DomainError(
        'SG-CONTENT-INVALID',
        `screening.indicatorQuestions: "${question}" would be asked in state "${indicatorStateOf(question)}", which the screening already uses`,
      );
    }
  }
}
