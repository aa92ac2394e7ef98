import { z } from 'zod';
import './contract';
import './contractMessages';
import { componentRef, contractComponents, type JsonSchemaFragment } from './contractRegistry';

/** zod bounds every `int()` by the safe integers; a document that says so on every integer says nothing. */
function withoutSafeIntegerBounds({ jsonSchema }: { jsonSchema: JsonSchemaFragment }): void {
  if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
  if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
}

/**
 * docs/mash-intake.openapi.yaml's `components.schemas`, made from the contract's zod schemas: every
 * schema registered with an id, in the order the two contract files register them. `io: 'input'` because
 * the document describes what goes over the wire (a lenient answer has no `additionalProperties: false`);
 * a refinement is written by its registered `oneOf` or `if`/`then` instead (zod cannot translate one).
 */
export function contractSchemas(): Record<string, JsonSchemaFragment> {
  const { schemas } = z.toJSONSchema(contractComponents, {
    target: 'draft-2020-12',
    io: 'input',
    uri: componentRef,
    metadata: contractComponents,
    override: withoutSafeIntegerBounds,
  });
  // Each comes out as a document of its own; in OpenAPI 3.1 the dialect and the place are the document's.
  return Object.fromEntries(Object.entries(schemas).map(([name, { $schema: _dialect, $id: _id, ...schema }]) => [name, schema]));
}
