export {
  allIndicatorIds,
  criticalIndicators,
  riskIndicators,
  significantIndicators,
  vulnerabilityIndicators,
  weightOf,
  type IndicatorId,
  type IndicatorWeight,
} from '../vocabulary/catalogue';
export { categorise, countIndicators, pathwayFor, raiseCategory, resolveMissing, type Category, type Counts, type Pathway, type Urgency } from './categorise';
export { matchNarrative } from './matchNarrative';
export { raise, screen, type ScreeningFacts, type ScreeningOutcome, type ScreeningSummary, type WeightedIndicator } from './outcome';
export { evaluateOverrides, orderedSteps, overrideReasons, stepsText } from './overrides';
export { matchOtherHarm, otherHarmWords } from './otherHarm';
