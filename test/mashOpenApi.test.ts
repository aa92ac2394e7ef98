import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import {
  decisionSchema,
  intelligenceBodySchema,
  intelligenceReceiptSchema,
  mashEventSchema,
  messageReceiptSchema,
  problemSchema,
  concernCategoriesV2,
  consentOverrideReasonsV2,
  exploitationCategories,
  referralBodySchema,
  referralBodyV1Schema,
  referralBodyV2Schema,
  referralMessageSchema,
  referralReceiptSchema,
  referralStatusSchema,
  type MashClient,
} from '../integrations';

type Json = Record<string, unknown>;
const doc = parse(readFileSync(join(__dirname, '..', 'docs', 'mash-intake.openapi.yaml'), 'utf8')) as Json;
const at = (path: string[]): Json => path.reduce<Json>((node, key) => node[key] as Json, doc);

function resolve(schema: Json): Json {
  if (typeof schema.$ref !== 'string') return schema;
  const { $ref, ...siblings } = schema;
  return { ...resolve(at(($ref as string).replace('#/', '').split('/'))), ...siblings };
}

const kept = ['type', 'const', 'enum', 'minLength', 'maxLength', 'minimum', 'maximum', 'minItems', 'maxItems', 'format'];

/**
 * What both descriptions must agree on: types, required fields, limits, enums, strictness. Rules
 * that JSON Schema cannot hold the same way on both sides (zod refinements; the OpenAPI oneOf / if
 * beside properties) are compared by the example tests instead. Generated patterns for formats are
 * zod's implementation of the format, so only the format is compared.
 */
function shape(input: Json): unknown {
  const schema = resolve(input);
  if (Array.isArray(schema.oneOf) && !schema.properties) return { oneOf: (schema.oneOf as Json[]).map(shape) };
  const out: Json = {};
  for (const key of kept) if (key in schema) out[key] = schema[key];
  if (typeof out.minimum === 'number' && Math.abs(out.minimum) === Number.MAX_SAFE_INTEGER) delete out.minimum;
  if (typeof out.maximum === 'number' && Math.abs(out.maximum) === Number.MAX_SAFE_INTEGER) delete out.maximum;
  if ('pattern' in schema && !('format' in schema)) out.pattern = schema.pattern;
  if (schema.additionalProperties === false) out.additionalProperties = false;
  if (Array.isArray(schema.required)) out.required = [...(schema.required as string[])].sort();
  if (schema.properties) out.properties = Object.fromEntries(Object.entries(schema.properties as Record<string, Json>).map(([k, v]) => [k, shape(v)]));
  if (schema.items) out.items = shape(schema.items as Json);
  return out;
}

const component = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const fromZod = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;

describe('docs/mash-intake.openapi.yaml', () => {
  it('is OpenAPI 3.1 with the four endpoints the client calls and the status-event webhook', () => {
    expect(doc.openapi).toBe('3.1.0');
    const operations = Object.values(at(['paths'])).flatMap((item) => Object.values(item as Json).map((op) => (op as Json).operationId));
    const clientMethods: (keyof MashClient)[] = ['submitReferral', 'getReferral', 'postMessage', 'postIntelligence'];
    expect(operations.sort()).toEqual([...clientMethods].sort());
    const webhook = at(['webhooks', 'mashEvent', 'post']);
    expect((webhook.parameters as Json[]).map((p) => p.name)).toEqual(['X-MASH-Timestamp', 'X-MASH-Signature']);
  });

  it.each([
    ['ReferralRequest', referralBodySchema],
    ['ReferralRequestV1', referralBodyV1Schema],
    ['ReferralRequestV2', referralBodyV2Schema],
    ['ReferralReceipt', referralReceiptSchema],
    ['ReferralStatus', referralStatusSchema],
    ['Decision', decisionSchema],
    ['ReferralMessage', referralMessageSchema],
    ['MessageReceipt', messageReceiptSchema],
    ['IntelligenceRequest', intelligenceBodySchema],
    ['IntelligenceReceipt', intelligenceReceiptSchema],
    ['Problem', problemSchema],
    ['MashEvent', mashEventSchema],
  ] as const)('%s agrees with the zod schema', (name, schema) => {
    expect(shape(component(name))).toEqual(shape(fromZod(schema)));
  });

  it('has examples the zod schemas accept', () => {
    const example = (name: string) => at(['components', 'examples', name, 'value']);
    expect(referralBodySchema.safeParse(example('Referral')).error).toBeUndefined();
    expect(referralBodyV1Schema.safeParse(example('Referral')).error).toBeUndefined();
    expect(referralBodyV2Schema.safeParse(example('ReferralV2')).error).toBeUndefined();
    expect(intelligenceBodySchema.safeParse(example('Intelligence')).error).toBeUndefined();
    expect(mashEventSchema.safeParse(example('DecisionEvent')).error).toBeUndefined();
    expect(mashEventSchema.safeParse(example('InfoRequestedEvent')).error).toBeUndefined();
    const answer = at(['paths', '/referrals/{referralId}/messages', 'post', 'requestBody', 'content', 'application/json', 'examples', 'answer', 'value']);
    expect(referralMessageSchema.safeParse(answer).error).toBeUndefined();
    expect(problemSchema.safeParse(at(['components', 'responses', 'Invalid', 'content', 'application/problem+json', 'example'])).error).toBeUndefined();
  });

  it('states the rules zod refines and JSON Schema cannot (one of date of birth or age; a reason to share without consent)', () => {
    expect(at(['components', 'schemas', 'Child', 'oneOf'])).toEqual([{ required: ['dateOfBirth'] }, { required: ['ageYears'] }]);
    expect(at(['components', 'schemas', 'Consent', 'then'])).toEqual({ required: ['overrideReason'] });
    const { dateOfBirth: _dob, ...child } = (at(['components', 'examples', 'Referral', 'value']) as { child: Json }).child;
    const referral = at(['components', 'examples', 'Referral', 'value']);
    expect(referralBodySchema.safeParse({ ...referral, child }).success).toBe(false);
    expect(referralBodySchema.safeParse({ ...referral, child: { ...child, ageYears: 14 } }).success).toBe(true);
    expect(referralBodySchema.safeParse({ ...referral, consent: { status: 'refused', lawfulBasis: 'public task' } }).success).toBe(false);
  });

  it('tells the two referral versions apart by schemaVersion, with the enums and required fields of each', () => {
    const schemas = at(['components', 'schemas']) as Record<string, Json>;
    expect(schemas.ReferralRequest.discriminator).toEqual({
      propertyName: 'schemaVersion',
      mapping: { '1': '#/components/schemas/ReferralRequestV1', '2': '#/components/schemas/ReferralRequestV2' },
    });
    expect(schemas.ConcernCategoryV2.enum).toEqual([...concernCategoriesV2]);
    expect((schemas.ConsentV2.properties as Record<string, Json>).overrideReason.enum).toEqual([...consentOverrideReasonsV2]);
    // Version 2 needs no screening, except with an exploitation category: stated as if/then, checked by zod.
    expect(schemas.ReferralRequestV2.required).not.toContain('screening');
    expect(schemas.ReferralRequestV1.required).toContain('screening');
    expect(schemas.ReferralRequestV2.then).toEqual({ required: ['screening'] });
    expect(at(['components', 'schemas', 'ReferralRequestV2', 'if', 'properties', 'concern', 'properties', 'categories', 'contains', 'enum'])).toEqual([...exploitationCategories]);
    const v2 = at(['components', 'examples', 'ReferralV2', 'value']);
    expect(referralBodySchema.safeParse({ ...v2, concern: { ...(v2.concern as Json), categories: ['cse'] } }).success).toBe(false);
    expect(referralBodySchema.safeParse({ ...v2, concern: { ...(v2.concern as Json), categories: ['missing'] } }).success).toBe(true);
    // A version 1 body with a version 2 value is refused, as a real version 1 MASH would.
    const v1 = at(['components', 'examples', 'Referral', 'value']);
    expect(referralBodySchema.safeParse({ ...v1, concern: { ...(v1.concern as Json), categories: ['child-on-child'] } }).success).toBe(false);
    expect(referralBodySchema.safeParse({ ...v1, guidanceVersion: '0.1.0' }).success).toBe(false);
  });
});
