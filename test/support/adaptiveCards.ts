import type * as AdaptiveCards from 'adaptivecards';

/*
 * The package's `main` (lib/) is untranspiled ESM with extensionless imports, which neither Node nor jest's
 * CommonJS runtime can load; its UMD bundle is the same library built into one CommonJS-loadable file.
 * Parsing needs no DOM, only rendering does.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the UMD bundle has no type declarations: required, then typed as the package's main
const library = require('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCards;

/**
 * What the Adaptive Cards library objects to in a card: parse events (unknown types, properties not in
 * the card's version, bad values) and validation failures (duplicate input ids, an empty choice set,
 * missing required properties). An empty list means a client built on the library accepts the card.
 */
export function cardProblems(json: unknown): string[] {
  const card = new library.AdaptiveCard();
  const context = new library.SerializationContext();
  card.parse(json, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const event of card.validateProperties().validationEvents) problems.push(`validate: ${event.message}`);
  return problems;
}

/** The card as the library reads it back: properties it dropped are missing here. */
export function roundTrip(json: unknown): unknown {
  const card = new library.AdaptiveCard();
  card.parse(json, new library.SerializationContext());
  return card.toJSON();
}
