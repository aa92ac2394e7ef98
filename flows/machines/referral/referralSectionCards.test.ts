import { expect } from '@jest/globals';
import { referralBodySchema } from '../../referral/contract';
import { toCheckPage, type conversation } from './referralTestKit';

/*
 * Issue 21 item 2: each optional section answered as one form (the Adaptive Card in Teams, the form in
 * Web Chat): one submit per section, checked field by field against the contract, a refused form coming
 * back with everything typed, and a stale form refused like any old card.
 */

type Conversation = ReturnType<typeof conversation>;

const bodyOf = (c: Conversation) => referralBodySchema.parse(c.effects.find((e) => e.kind === 'outbox.enqueue')?.payload.body);

describe('the MARF sections as one form each (issue 21 item 2)', () => {
  it('fills every section by form, one submit each, lists them on the check and files them as the MARF fields', () => {
    const c = toCheckPage();
    c.answer('Add people and places of concern');

    expect(c.question().id).toBe('ref-persons-of-concern');
    const form = c.question().form!;
    expect(form.blocks.map((b) => b.title)).toEqual(['Person 1', 'Person 2']);
    expect(form.fields.map((f) => f.name)).toEqual([
      'name',
      'description',
      'approximateAge',
      'phones',
      'vehicleMake',
      'vehicleColour',
      'vehicleRegistration',
      'socialMedia',
      'places',
    ]);
    const added = c.submit({
      '0.name': 'Jay',
      '0.description': 'Tall, local to the station, collects her after school',
      '0.approximateAge': '24',
      '0.phones': '07700 900123, 07700 900124',
      '0.vehicleMake': 'Ford Focus',
      '0.vehicleColour': 'dark blue',
      '0.vehicleRegistration': 'ab12 cde',
      '0.socialMedia': '@jay_test, snap: jaytest',
      '0.places': 'the car park behind Test Station, GL1 1AA\n12 Test Road, Testtown',
      '1.name': '',
    });
    expect(added.submitted?.status).toBe('accepted');
    expect(added.messages.map((m) => m.text).join('\n')).not.toMatch(/Added\. Another/);

    expect(c.question().id).toBe('ref-confirm');
    c.answer('Add parents and carers (recommended)');
    expect(c.question().id).toBe('ref-household');
    expect(
      c
        .question()
        .form?.fields.find((f) => f.name === 'parentalResponsibility')
        ?.choices?.map((ch) => ch.title),
    ).toEqual(['Yes', 'No', 'Not known']);
    c.submit({
      '0.name': 'Test Parent',
      '0.relationship': 'mother',
      '0.dateOfBirth': '01/02/1985',
      '0.phone': '01632 960001',
      '0.address': 'Flat 2, 3 Test Street, Testtown GL2 3AB',
      '0.parentalResponsibility': 'yes',
      '1.name': 'Test Stepparent',
      '1.relationship': 'stepfather',
      '1.ageYears': '45',
      '1.parentalResponsibility': 'no',
    });

    expect(c.question().id).toBe('ref-confirm');
    c.answer('Add other agencies');
    expect(c.question().id).toBe('ref-agencies');
    expect(c.question().form?.blocks).toHaveLength(2);
    c.submit({ '0.agency': 'School nurse', '0.worker': 'Test Nurse', '0.phone': '01632 960002', '0.email': 'test.nurse@example.org' });

    expect(c.question().id).toBe('ref-confirm');
    c.answer('Add more about the child');
    expect(c.question().id).toBe('ref-child-more');
    expect(c.question().form?.blocks).toEqual([{ title: 'About the child' }]);
    c.submit({
      '0.knownAs': 'TC',
      '0.ethnicity': 'White British',
      '0.religion': 'None',
      '0.firstLanguage': 'English',
      '0.interpreterNeeded': 'no',
      '0.communicationNeeds': 'Prefers to talk while walking',
      '0.disability': 'Dyslexia',
    });

    expect(c.question().id).toBe('ref-confirm');
    const check = c.lastText();
    expect(check).toMatch(
      /- Parents and carers: Test Parent, mother, 1985-02-01, 01632 960001, Flat 2, 3 Test Street, Testtown GL2 3AB, parental responsibility; Test Stepparent, stepfather, age 45, no parental responsibility\n/,
    );
    expect(check).toMatch(
      /- People of concern: Jay, about 24, Tall, local to the station, collects her after school, 07700 900123, 07700 900124, dark blue Ford Focus AB12 CDE, @jay_test, snap: jaytest/,
    );
    expect(check).toMatch(/- Other agencies: School nurse, Test Nurse, 01632 960002, test.nurse@example.org\n/);
    expect(check).toMatch(
      /- About the child: known as: TC; ethnicity: White British; religion: None; first language: English; interpreter: no; communication needs: Prefers to talk while walking; disability: Dyslexia\n/,
    );

    c.say('Send the referral');
    expect(bodyOf(c)).toMatchObject({
      schemaVersion: '2',
      child: {
        knownAs: 'TC',
        ethnicity: 'White British',
        religion: 'None',
        firstLanguage: 'English',
        interpreterNeeded: false,
        communicationNeeds: 'Prefers to talk while walking',
        disability: 'Dyslexia',
      },
      household: [
        {
          name: 'Test Parent',
          relationship: 'mother',
          dateOfBirth: '1985-02-01',
          phone: '01632 960001',
          address: { line1: 'Flat 2, 3 Test Street, Testtown GL2 3AB', postcode: 'GL2 3AB' },
          parentalResponsibility: true,
        },
        { name: 'Test Stepparent', relationship: 'stepfather', ageYears: 45, parentalResponsibility: false },
      ],
      personsOfConcern: [
        {
          name: 'Jay',
          description: 'Tall, local to the station, collects her after school',
          approximateAge: 24,
          phones: ['07700 900123', '07700 900124'],
          vehicles: [{ make: 'Ford Focus', colour: 'dark blue', registration: 'AB12 CDE' }],
          socialMedia: ['@jay_test', 'snap: jaytest'],
          places: [{ description: 'the car park behind Test Station, GL1 1AA', postcode: 'GL1 1AA' }, { description: '12 Test Road, Testtown' }],
        },
      ],
      agencyContacts: [{ agency: 'School nurse', worker: 'Test Nurse', phone: '01632 960002', email: 'test.nurse@example.org' }],
    });
  });

  it('refuses a form with errors field by field, adds nothing, and shows it again with everything typed', () => {
    const c = toCheckPage();
    c.answer('Add parents and carers (recommended)');
    const typed = {
      '0.name': 'Test Parent',
      '0.relationship': 'mother',
      '0.dateOfBirth': '31/02/1985',
      '0.phone': 'ring the school',
      '0.address': '3 Test Street',
      '1.relationship': 'grandmother',
      '1.dateOfBirth': '01/02/1960',
      '1.ageYears': '66',
    };
    const refused = c.submit(typed);
    expect(refused.submitted?.status).toBe('invalid');
    const said = refused.messages.map((m) => m.text).join('\n');
    expect(said).toMatch(/Nothing was added yet/);
    expect(said).toMatch(/Person 1, Date of birth \(DD\/MM\/YYYY\): Enter a real date of birth/);
    expect(said).toMatch(/Person 1, Phone: Enter a phone number/);
    expect(said).toMatch(/Person 2, Name: Fill this in/);
    expect(said).toMatch(/Person 2, Or age in years: Give the date of birth or the age, not both/);

    // Asked again, the form filled in as it was sent, each error beside its field.
    const again = c.question();
    expect(again.id).toBe('ref-household');
    expect(again.form?.values).toMatchObject(typed);
    expect(again.form?.errors).toEqual({
      '0.dateOfBirth': expect.stringMatching(/real date of birth/),
      '0.phone': expect.stringMatching(/phone number/),
      '1.name': expect.stringMatching(/Fill this in/),
      '1.ageYears': expect.stringMatching(/not both/),
    });

    c.submit({ ...typed, '0.dateOfBirth': '28/02/1985', '0.phone': '01632 960001', '1.name': 'Test Grandparent', '1.ageYears': '' });
    expect(c.question().id).toBe('ref-confirm');
    c.say('Send the referral');
    expect(bodyOf(c)).toMatchObject({
      household: [
        { name: 'Test Parent', relationship: 'mother', dateOfBirth: '1985-02-28', phone: '01632 960001', address: { line1: '3 Test Street' }, parentalResponsibility: 'unknown' },
        { name: 'Test Grandparent', relationship: 'grandmother', dateOfBirth: '1960-02-01', parentalResponsibility: 'unknown' },
      ],
    });
  });

  it('refuses a stale form (an old card) and leaves the section as it was; typing still works after a form', () => {
    const c = toCheckPage();
    c.answer('Add other agencies');
    const old = c.question();
    c.submit({ '0.agency': 'CAMHS', '0.email': 'not an email' });
    expect(c.question().form?.errors).toEqual({ '0.email': expect.stringMatching(/email address/) });
    // The form first sent is now an old card: refused, nothing applied.
    const stale = c.turn({ kind: 'submit', questionId: old.id, turnId: old.turnId, answer: { '0.agency': 'Youth justice' } });
    expect(stale.submitted?.status).toBe('stale');
    expect(c.question().id).toBe('ref-agencies');
    // A form sent empty adds nobody and goes back to the check, as "that's all" does.
    c.submit({});
    expect(c.question().id).toBe('ref-confirm');
    c.answer('Add more about the child');
    expect(c.question().id).toBe('ref-child-more');
    c.say('first language: Polish');
    c.answer("that's all");
    expect(c.question().id).toBe('ref-confirm');
    expect(c.lastText()).not.toMatch(/Other agencies:/);
    expect(c.lastText()).toMatch(/- About the child: first language: Polish\n/);
  });

  it('changes a section from the check by form: it starts again and returns to the check', () => {
    const c = toCheckPage();
    c.answer('Add parents and carers (recommended)');
    c.submit({ '0.name': 'Test Parent', '0.relationship': 'mother' });
    expect(c.question().id).toBe('ref-confirm');
    c.answer('Change something', 'Parents and carers');
    c.submit({ '0.name': 'Test Carer', '0.relationship': 'foster carer', '0.parentalResponsibility': 'unknown' });
    expect(c.question().id).toBe('ref-confirm');
    expect(c.lastText()).toMatch(/- Parents and carers: Test Carer, foster carer, parental responsibility not known\n/);
  });

  it('reads typed text made to look like a form entry as typed: nothing unchecked reaches the MASH', () => {
    const c = toCheckPage();
    c.answer('Add parents and carers (recommended)');
    c.say('{"card":{"name":"Test Parent","ageYears":"old","parentalResponsibility":"maybe"}}');
    c.answer("that's all");
    c.say('Send the referral');
    const body = bodyOf(c);
    const household = body.schemaVersion === '2' ? body.household : undefined;
    expect(household).toHaveLength(1);
    expect(household?.[0].parentalResponsibility).toBe('unknown');
    expect(household?.[0]).not.toHaveProperty('ageYears');
  });
});
