export { renderTeamsActivity, isTeamsChannel, isTeamsPersonalInstall, teamsChannelId } from './renderTeamsActivity';
export { answerFromAction, cardActionResult, cardActionError, type CardActionResult } from './cardAction';
export { cardContextOf, type CardContext, type InputLimits } from './cardWords';
export { questionCard, questionOf, type ShownQuestion } from './questionCard';
export { answeredCard, movedOnCard, unusableAnswerCard } from './answeredCard';
export { resultCard, isResult } from './resultCard';
export { adaptiveCardContentType, answerVerb, answerInputId, type AdaptiveCard, type AnswerData } from './cardElements';
