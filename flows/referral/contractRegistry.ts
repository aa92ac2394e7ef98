import { z } from 'zod';

/** A JSON Schema fragment written by hand, for what zod's own JSON Schema output cannot say. */
export type JsonSchemaFragment = { [keyword: string]: unknown };

/**
 * What the MASH contract's zod schemas tell docs/mash-intake.openapi.yaml beyond their own shape.
 * zod copies every field of this into the schema's JSON Schema, so the keywords are JSON Schema's.
 */
export interface ContractMeta {
  /** The name under `components.schemas`: a schema with one is written once and referenced. */
  id?: string;
  description?: string;
  /**
   * A rule zod holds as a refinement, stated as JSON Schema beside it (zod cannot translate a
   * refinement): `oneOf` for "exactly one of", `if`/`then` for "required when".
   */
  oneOf?: JsonSchemaFragment[];
  if?: JsonSchemaFragment;
  then?: JsonSchemaFragment;
  /** More rules of that kind where a schema has several (one `if`/`then` per schema). */
  allOf?: JsonSchemaFragment[];
  /** "Not both": `not: { required: [a, b] }`. */
  not?: JsonSchemaFragment;
  /** OpenAPI's hint for a union told apart by one property (zod writes the `oneOf` itself). */
  discriminator?: { propertyName: string; mapping: Record<string, string> };
}

/**
 * The MASH contract's schemas, named as the OpenAPI document names them. Its own registry rather
 * than zod's global one, so nothing else that registers metadata can leak into the contract's document.
 */
export const contractComponents = z.registry<ContractMeta>();

/** Where a named schema lives in the OpenAPI document. */
export const componentRef = (id: string): string => `#/components/schemas/${id}`;
