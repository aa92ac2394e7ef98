/**
 * The part of the Adaptive Card schema our Teams cards use, typed so a builder cannot emit a property the
 * schema does not have. Version 1.5 is what Teams renders for bots on desktop, web and mobile
 * (https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-reference).
 */

export const adaptiveCardContentType = 'application/vnd.microsoft.card.adaptive';
export const cardVersion = '1.5';

/** The verb of every answer button: one verb, the question and turn ids travel in `data`. */
export const answerVerb = 'answer';
/** Id of the input whose value becomes `data.answer` (Teams merges inputs into the action's data by id). */
export const answerInputId = 'answer';

/** What an answer button carries back in the `adaptiveCard/action` invoke. */
export interface AnswerData {
  questionId: string;
  turnId: number;
  answer?: string;
}

export interface ExecuteAction {
  type: 'Action.Execute';
  title: string;
  verb: typeof answerVerb;
  data: AnswerData;
  /** `none` for a button whose answer is fixed: an empty input must not overwrite `data.answer`. */
  associatedInputs?: 'auto' | 'none';
  style?: 'positive' | 'default';
}

/** The coordinators' card buttons (bot/teams/coordinatorCard.ts): one verb per action on a handoff. */
export type HandoffVerb = 'handoff.claim' | 'handoff.ask' | 'handoff.close';

export interface HandoffAction {
  type: 'Action.Execute';
  title: string;
  verb: HandoffVerb;
  data: { handoffId: string };
  associatedInputs?: 'auto' | 'none';
  style?: 'positive' | 'destructive';
}

export type CardAction = ExecuteAction | HandoffAction;

export interface TextBlock {
  type: 'TextBlock';
  text: string;
  wrap: true;
  color?: 'Attention' | 'Good';
  weight?: 'Bolder';
  size?: 'Medium';
  isSubtle?: boolean;
  spacing?: 'Small' | 'Medium';
}

/**
 * Text someone typed, shown as a RichTextBlock TextRun: Teams renders TextBlock text (and FactSet values)
 * as Markdown, so a note with `[a link](https://…)` would become a disguised clickable link in the
 * coordinators' channel (pen test L3); TextRuns are not parsed as Markdown.
 */
export interface RichTextBlock {
  type: 'RichTextBlock';
  inlines: Array<{ type: 'TextRun'; text: string; weight?: 'Bolder' }>;
  spacing?: 'Small' | 'Medium';
}

export function plainText(text: string, extra: Pick<RichTextBlock, 'spacing'> = {}): RichTextBlock {
  return { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text }], ...extra };
}

/** Markdown control characters backslash-escaped, for typed text that must go where only Markdown text can (a FactSet value). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]()#+\-.!<>~|]/g, (c) => `\\${c}`);
}

export interface FactSet {
  type: 'FactSet';
  facts: Array<{ title: string; value: string }>;
}

/** A result's heading and the fields a professional scans first; the message text follows in full. */
export interface ResultSummary {
  title: string;
  facts: FactSet;
}

export interface ActionSet {
  type: 'ActionSet';
  actions: CardAction[];
}

interface InputBase {
  id: typeof answerInputId;
  isRequired: true;
  errorMessage: string;
  label: string;
}

export interface TextInput extends InputBase {
  type: 'Input.Text';
  maxLength: number;
  isMultiline: boolean;
  placeholder?: string;
}

export interface NumberInput extends InputBase {
  type: 'Input.Number';
  min?: number;
  max?: number;
}

export interface DateInput extends InputBase {
  type: 'Input.Date';
}

export interface ChoiceSetInput extends InputBase {
  type: 'Input.ChoiceSet';
  isMultiSelect: true;
  style: 'expanded';
  choices: Array<{ title: string; value: string }>;
}

/** An input of a form (a referral section, issue 21 item 2): its own id ("form.0.name"), optional, filled with what was typed. */
export interface FormTextInput {
  type: 'Input.Text';
  id: string;
  label: string;
  maxLength: number;
  isMultiline: boolean;
  value?: string;
}

export interface FormChoiceInput {
  type: 'Input.ChoiceSet';
  id: string;
  label: string;
  style: 'compact';
  choices: Array<{ title: string; value: string }>;
  value?: string;
}

export type CardInput = TextInput | NumberInput | DateInput | ChoiceSetInput | FormTextInput | FormChoiceInput;
export type CardElement = TextBlock | RichTextBlock | FactSet | ActionSet | CardInput;

/** A type alias, not an interface, so a card is a plain record (the invoke response's `value`). */
export type AdaptiveCard = {
  type: 'AdaptiveCard';
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  version: typeof cardVersion;
  body: CardElement[];
  actions?: CardAction[];
  /** Shown by clients that cannot render the card, and read out in notifications. */
  fallbackText?: string;
};

export function adaptiveCard(body: CardElement[], options: { actions?: CardAction[]; fallbackText?: string } = {}): AdaptiveCard {
  const card: AdaptiveCard = { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: cardVersion, body };
  if (options.actions?.length) card.actions = options.actions;
  if (options.fallbackText) card.fallbackText = options.fallbackText;
  return card;
}

/**
 * Message text as TextBlocks, one per line: Teams keeps a single line break only inside a Markdown list
 * (https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format#newlines-for-adaptive-cards),
 * and our texts mix lists with plain lines, so each line gets its own block and paragraphs a wider gap.
 */
export function paragraphs(text: string): TextBlock[] {
  return text
    .split(/\n{2,}/)
    .map((part) =>
      part
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean),
    )
    .filter((lines) => lines.length > 0)
    .flatMap((lines, p) => lines.map((line, i): TextBlock => ({ type: 'TextBlock', text: line, wrap: true, ...spacingOf(p, i) })));
}

function spacingOf(paragraph: number, line: number): Pick<TextBlock, 'spacing'> {
  if (line > 0) return { spacing: 'Small' };
  return paragraph > 0 ? { spacing: 'Medium' } : {};
}

export function heading(text: string): TextBlock {
  return { type: 'TextBlock', text, wrap: true, weight: 'Bolder', size: 'Medium' };
}

export function factSet(facts: Array<{ title: string; value: string | undefined }>): FactSet {
  return { type: 'FactSet', facts: facts.filter((f): f is { title: string; value: string } => Boolean(f.value)) };
}

export function answerAction(title: string, data: AnswerData, extra: Pick<ExecuteAction, 'associatedInputs' | 'style'> = {}): ExecuteAction {
  return { type: 'Action.Execute', title, verb: answerVerb, data, ...extra };
}
