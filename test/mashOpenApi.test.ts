import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { z } from 'zod';
import {
  contractSchemas,
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
} from '../flows';
import type { MashClient } from '../integrations';
import { withContractSchemas } from '../server/cli/contractOpenApi';
import { intelligenceBody, referralBody, referralBodyV2, referralBodyV2Marf } from './support/mashFixtures';

type Json = Record<string, unknown>;
const docText = readFileSync(join(__dirname, '..', 'docs', 'mash-intake.openapi.yaml'), 'utf8');
const doc = parse(docText) as Json;
const at = (path: string[]): Json => path.reduce<Json>((node, key) => node[key] as Json, doc);

function resolve(schema: Json): Json {
  if (typeof schema.$ref !== 'string') return schema;
  const { $ref, ...siblings } = schema;
  return { ...resolve(at($ref.replace('#/', '').split('/'))), ...siblings };
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
    expect(referralBodyV2Schema.safeParse(example('ReferralV2Marf')).error).toBeUndefined();
    expect(jsonSchemaValidator('ReferralRequest')(example('ReferralV2Marf'))).toBe(true);
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

describe('components.schemas of docs/mash-intake.openapi.yaml', () => {
  it('is what `npm run contract:openapi` writes from the zod schemas in flows/referral/ (run it and commit both)', () => {
    expect(at(['components', 'schemas'])).toEqual(contractSchemas());
    expect(withContractSchemas(docText)).toBe(docText);
  });
});

/**
 * The document's own JSON Schema, as a MASH that validates with it would: ajv's draft 2020-12 with
 * formats. `discriminator` is OpenAPI's hint beside a `oneOf` that already decides; `required` inside
 * `oneOf` and untyped `if` branches are what the date-of-birth and override-reason rules are made of.
 */
function jsonSchemaValidator(component: string) {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, strictTypes: false });
  addFormats(ajv);
  ajv.addVocabulary(['discriminator', 'components']);
  ajv.addSchema({ components: at(['components']) }, 'mash-intake');
  const validate = ajv.getSchema(`mash-intake#/components/schemas/${component}`)!;
  return (body: unknown) => validate(body) === true;
}

describe('the JSON Schema of the contract refuses what zod refuses', () => {
  const v1 = referralBody();
  const v2 = referralBodyV2();
  const marf = referralBodyV2Marf();
  const { reasonNotTold: _reason, ...notToldNoReason } = marf;
  const [parent] = marf.household!;
  const { dateOfBirth: _dob, ...noDateOfBirth } = v1.child;
  const { screening: _screening, ...noScreening } = v1;
  const referralRequest = jsonSchemaValidator('ReferralRequest');

  it.each<[string, unknown, boolean]>([
    ['a version 1 referral', v1, true],
    ['a version 2 referral without a screening', v2, true],
    ['an age instead of a date of birth', { ...v1, child: { ...noDateOfBirth, ageYears: 14 } }, true],
    ['neither a date of birth nor an age (oneOf)', { ...v1, child: noDateOfBirth }, false],
    ['both a date of birth and an age (oneOf)', { ...v1, child: { ...v1.child, ageYears: 14 } }, false],
    ['consent refused with no reason (if/then)', { ...v1, consent: { status: 'refused', lawfulBasis: 'public task' } }, false],
    ['consent not sought with no reason, version 2 (if/then)', { ...v2, consent: { status: 'not-sought', lawfulBasis: 'public task' } }, false],
    ['consent given with no reason', { ...v1, consent: { status: 'given', lawfulBasis: 'consent' } }, true],
    ['version 2 with an exploitation category and no screening (if/then)', { ...v2, concern: { ...v2.concern, categories: ['physical-abuse', 'cce'] } }, false],
    ['version 2 with an exploitation category and its screening', { ...v2, concern: { ...v2.concern, categories: ['cce'] }, screening: v1.screening }, true],
    ['version 2 with missing alone and no screening', { ...v2, concern: { ...v2.concern, categories: ['missing'] } }, true],
    ['version 1 with no screening', noScreening, false],
    ['version 1 with a version 2 category', { ...v1, concern: { ...v1.concern, categories: ['child-on-child'] } }, false],
    ['version 1 with a version 2 reason', { ...v1, consent: { ...v1.consent, overrideReason: 'risk-of-harm' } }, false],
    ['version 1 with a version 2 field', { ...v1, guidanceVersion: '0.1.0' }, false],
    ['an unknown field on the child', { ...v1, child: { ...v1.child, dob: '2011-04-02' } }, false],
    ['a date of birth that is not a date', { ...v1, child: { ...v1.child, dateOfBirth: '2011-02-30' } }, false],
    ['a submission time without a time zone', { ...v1, submittedAt: '2025-06-15T10:00:00' }, false],
    ['a summary under 10 characters', { ...v1, concern: { ...v1.concern, summary: 'too short' } }, false],
    ['a client reference with spaces', { ...v1, clientReference: 'has spaces in it' }, false],
    ['a lawful basis code in words', { ...v2, consent: { ...v2.consent, lawfulBasisCodes: ['Public task'] } }, false],
    ['an unknown schema version', { ...v1, schemaVersion: '3' }, false],
    ['version 2 with every field a MARF asks', marf, true],
    ['the family not told, with no reason (allOf if/then)', notToldNoReason, false],
    ['the family told, with no reason', { ...notToldNoReason, familyAware: 'yes' }, true],
    ['a household member with both a date of birth and an age (not)', { ...marf, household: [{ ...parent, dateOfBirth: '1987-05-05' }] }, false],
    ['a household member with neither', { ...marf, household: [{ name: 'Test Parent', relationship: 'Father' }] }, true],
    ['parental responsibility as a word other than unknown', { ...marf, household: [{ ...parent, parentalResponsibility: 'maybe' }] }, false],
    ['version 1 with a MARF field', { ...v1, familyAware: 'yes' }, false],
    ["version 1 with the referrer's availability", { ...v1, referrer: { ...v1.referrer, availability: 'mornings' } }, false],
    ['a person of concern with an unknown field', { ...marf, personsOfConcern: [{ name: 'T', nickname: 'T' }] }, false],
  ])('%s', (_case, body, valid) => {
    expect({ zod: referralBodySchema.safeParse(body).success, jsonSchema: referralRequest(body) }).toEqual({ zod: valid, jsonSchema: valid });
  });

  it('and likewise for intelligence and status events', () => {
    const intelligence = jsonSchemaValidator('IntelligenceRequest');
    const event = jsonSchemaValidator('MashEvent');
    const decision = at(['components', 'examples', 'DecisionEvent', 'value']);
    const { decision: _decision, ...undecided } = decision;
    const bodies: Array<[z.ZodType, (body: unknown) => boolean, unknown, boolean]> = [
      [intelligenceBodySchema, intelligence, intelligenceBody(), true],
      [intelligenceBodySchema, intelligence, intelligenceBody({ volt: { themes: [] } }), false],
      [intelligenceBodySchema, intelligence, { ...intelligenceBody(), extra: 'field' }, false],
      [mashEventSchema, event, decision, true],
      [mashEventSchema, event, { ...decision, note: 'a field a newer MASH adds' }, true],
      [mashEventSchema, event, undecided, false],
      [mashEventSchema, event, { ...decision, type: 'referral.closed' }, false],
    ];
    for (const [schema, validate, body, valid] of bodies) {
      expect({ body, zod: schema.safeParse(body).success, jsonSchema: validate(body) }).toEqual({ body, zod: valid, jsonSchema: valid });
    }
  });

  it('leaves to the MASH what no JSON Schema can hold: the NHS number check digit', () => {
    const wrongCheckDigit = { ...v1, child: { ...v1.child, nhsNumber: '9434765918' } };
    expect({ zod: referralBodySchema.safeParse(wrongCheckDigit).success, jsonSchema: referralRequest(wrongCheckDigit) }).toEqual({ zod: false, jsonSchema: true });
  });
});
