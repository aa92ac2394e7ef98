/** A parsed answer: choice value, 'yes'/'no', ISO date, number, free text, or the values picked. */
export type AnswerValue = string | number | string[];
