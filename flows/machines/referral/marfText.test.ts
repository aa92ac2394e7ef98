import { loadDefaultPack } from '../../content/loadPack';
import { marfFieldsSchema, type MarfFields } from '../../referral/contract';
import { marfLines, marfTextKeys } from './marfText';

const pack = loadDefaultPack();

describe('the MARF answers in plain words', () => {
  it('has every label it can use in the pack', () => {
    expect(marfTextKeys.filter((key) => !pack.messages[key])).toEqual([]);
  });

  it('lists every answer of a full form on its own line, yes/no/unknown in words, nothing empty', () => {
    const marf: MarfFields = marfFieldsSchema.parse({
      referrer: { phone: '01632 960001', availability: 'Mornings' },
      child: {
        knownAs: 'Testy',
        ethnicity: 'unknown',
        religion: 'None',
        firstLanguage: 'English',
        interpreterNeeded: 'unknown',
        communicationNeeds: 'Short questions',
        disability: 'None known',
      },
      household: [
        {
          name: 'Test Parent',
          relationship: 'Mother',
          dateOfBirth: '1985-01-01',
          address: { line1: '1 Example Road', town: 'Gloucester', postcode: 'GL1 1AA' },
          phone: '01632 960002',
          parentalResponsibility: false,
        },
      ],
      familyAware: 'yes',
      views: { child: 'Wants it to stop', parents: 'Worried' },
      childsWords: 'He said he would hurt me',
      confidentialFromFamily: { what: 'The address', why: 'Risk from the partner' },
      personsOfConcern: [
        {
          name: 'T',
          approximateAge: 25,
          phones: ['01632 960003', '01632 960005'],
          vehicles: [{ make: 'Hatchback', colour: 'Silver', registration: 'AB12 CDE' }],
          socialMedia: ['@test'],
          places: [{ description: 'Park' }],
        },
      ],
      locations: [{ description: 'Bus station', postcode: 'GL1 2TG' }],
      agencyContacts: [{ agency: 'CAMHS', worker: 'Test Worker', email: 'camhs@example.nhs.uk' }],
      actionsTaken: 'Told the DSL',
      policeReference: 'EX-0000-TEST',
      householdReference: 'HH-0123456789AB',
    });
    const lines = marfLines(pack, marf);
    expect(lines).toEqual([
      'Your phone number: 01632 960001',
      'When you can be reached: Mornings',
      'Child known as: Testy',
      "Child's ethnicity: not known",
      "Child's religion: None",
      "Child's first language: English",
      'Interpreter needed: not known',
      "Child's communication needs: Short questions",
      "Child's disability: None known",
      'Household member 1: name: Test Parent; relationship: Mother; date of birth: 1985-01-01; address: first line: 1 Example Road; town: Gloucester; postcode: GL1 1AA; phone: 01632 960002; parental responsibility: no',
      'The family knows about this referral: yes',
      "The child's views: Wants it to stop",
      "The parents' or carers' views: Worried",
      "The child's own words: He said he would hurt me",
      'Not to be told to the family: The address',
      'Why not: Risk from the partner',
      'Person of concern 1: name: T; approximate age: 25; phones: 01632 960003 | 01632 960005; vehicles: make: Hatchback; colour: Silver; registration: AB12 CDE; social media: @test; places: description: Park',
      'Place of concern 1: description: Bus station; postcode: GL1 2TG',
      'Other agency 1: agency: CAMHS; worker: Test Worker; email: camhs@example.nhs.uk',
      'What has been done already: Told the DSL',
      'Police reference: EX-0000-TEST',
      'Household reference (brothers and sisters referred together): HH-0123456789AB',
    ]);
  });
});
