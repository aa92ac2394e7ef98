import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDefaultPack, signedOffSchema, signedOffSnapshot, type ContentPack } from '../flows';
import { main as packExport } from '../server/cli/packExport';
import { packReviewHtml } from '../server/cli/packReviewHtml';
import { captureCli } from './support/cliOutput';

const pack = loadDefaultPack();
const now = new Date('2026-12-04T10:00:00Z');
const packDir = 'flows/content/gloucestershire';
const tempDir = () => mkdtempSync(join(tmpdir(), 'pack-export-'));

/** The rows of the change table as [where, change, before, after], tags stripped. */
function changeRows(page: string): string[][] {
  const table = page.split('<h2>What changed since the signed-off version</h2>')[1].split('<h2>')[0];
  return [...table.matchAll(/<tr class="(?:changed|added|removed)">(.*?)<\/tr>/gs)].map(([, row]) =>
    [...row.matchAll(/<td>(.*?)<\/td>/gs)].map(([, cell]) => cell.replace(/<[^>]+>/g, '')),
  );
}

describe('npm run pack:export', () => {
  it('writes the whole pack as one self-contained HTML document and says where', async () => {
    const out = join(tempDir(), 'review.html');
    const { code, out: said } = await captureCli((io) => packExport(['--out', out], {}, io, now));
    expect(code).toBe(0);
    expect(said).toBe(`wrote ${out} (gloucestershire@${pack.version}; compared with ${join(process.cwd(), packDir, 'signed-off.json')}, version 0.1.0)`);
    const page = readFileSync(out, 'utf8');
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).not.toMatch(/<script|<link|<img|src=/i); // no scripts, nothing fetched: it prints and archives as it is
    for (const heading of [
      'What changed since the signed-off version',
      'Points to confirm with the partnership ([check])',
      'Contacts',
      'Bank holidays',
      'Rules',
      'Messages',
      'Questions',
      'Source register',
      'Sign-off',
    ]) {
      expect(page).toContain(`<h2>${heading}`);
    }
    for (const key of Object.keys(pack.messages)) expect(page).toContain(`<code>${key}</code>`);
    for (const id of Object.keys(pack.questions)) expect(page).toContain(`<code>${id}</code>`);
    expect(page).toContain('Monday to Friday, 9am to 5pm (possibly from 8am); closed on bank holidays');
    expect(page).toContain('Mon–Fri 09:00–17:00; not confirmed (shown as &quot;call either&quot;): Mon–Fri 08:00–09:00; closed on bank holidays');
    expect(page).toContain('<td>2029-12-26</td><td>Boxing Day</td>');
    expect(page).toMatch(/<code>is-2018<\/code><\/td><td>.*SUPERSEDED by is-2024: no text may cite it/s);
    expect(page).toMatch(/<tr class="check"><td><code>contacts\.adult-edt\.notes<\/code><\/td><td>\[check\] Number seen on one undated NHS page only/);
    expect(page).toContain('signed off by:</strong> <span class="warn">nobody yet: production will refuse to start this pack</span>');
  });

  it('escapes every pack text: markup in a text is shown, never run', () => {
    const hostile: ContentPack = { ...pack, messages: { ...pack.messages, welcome: { text: '<script>alert("x")</script> & <b>bold</b>' } } };
    const page = packReviewHtml(hostile, undefined, now.toISOString());
    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;');
  });

  it('lists an edited text, an added key and a removed key in "what changed"', () => {
    const signedOff = signedOffSnapshot(pack, '2026-11-01', 'A. Lead, GSCP safeguarding lead');
    signedOff.texts['messages.emergency.text'] = 'Call 999. Then phone the Children and Families Help Desk on 01452 426565.';
    delete signedOff.texts['contacts.lado.number'];
    signedOff.texts['messages.retired-text.text'] = 'A text the pack no longer has.';
    const rows = changeRows(packReviewHtml(pack, signedOff, now.toISOString()));
    expect(rows).toEqual([
      ['messages.emergency.text', 'changed', 'Call 999. Then phone the Children and Families Help Desk on 01452 426565.', pack.messages.emergency.text],
      ['contacts.lado.number', 'added', '', '01452 426994'],
      ['messages.retired-text.text', 'removed', 'A text the pack no longer has.', ''],
    ]);
  });

  it('--sign-off records the pack as signed off: the snapshot and core.json, and the next export shows no change', async () => {
    const dir = tempDir();
    copyFileSync(join(packDir, 'core.json'), join(dir, 'core.json'));
    const before = readFileSync(join(dir, 'core.json'), 'utf8');
    const signOffDay = new Date('2027-01-15T16:00:00Z');
    const signed = await captureCli((io) => packExport(['--sign-off', 'A. Lead, GSCP safeguarding lead', '--pack-dir', dir], {}, io, signOffDay));
    expect(signed.code).toBe(0);
    expect(signed.out).toMatch(
      /^signed off gloucestershire@[\d.]+ by A\. Lead, GSCP safeguarding lead on 2027-01-15: wrote .*signed-off\.json and stamped .*core\.json \(commit both\)$/,
    );

    const snapshot = signedOffSchema.parse(JSON.parse(readFileSync(join(dir, 'signed-off.json'), 'utf8')));
    expect(snapshot).toMatchObject({ packId: 'gloucestershire', version: pack.version, reviewedOn: '2027-01-15', reviewedBy: 'A. Lead, GSCP safeguarding lead' });
    expect(snapshot.texts['messages.emergency.text']).toBe(pack.messages.emergency.text);
    const core = readFileSync(join(dir, 'core.json'), 'utf8');
    expect(core).toContain('"reviewedBy": "A. Lead, GSCP safeguarding lead"');
    expect(core).toContain('"reviewedOn": "2027-01-15"');
    // Only the two review lines change: the hand-made layout of the rest of the file is kept.
    expect(core.split('\n').filter((line, i) => line !== before.split('\n')[i])).toHaveLength(2);

    const out = join(dir, 'review.html');
    const exported = await captureCli((io) => packExport(['--out', out, '--pack-dir', dir], {}, io, now));
    expect(exported.code).toBe(0);
    const page = readFileSync(out, 'utf8');
    expect(changeRows(page)).toEqual([]);
    expect(page).toContain('No text has changed since the signed-off version.');
    expect(page).toContain('signed off by A. Lead, GSCP safeguarding lead on 2027-01-15');
  });

  it('refuses an unknown option with one line and exit code 1', async () => {
    const { code, err } = await captureCli((io) => packExport(['--outfile', 'x.html'], {}, io, now));
    expect(code).toBe(1);
    expect(err).toBe('error SG-CONFIG-INVALID: SG-CONFIG-INVALID: unknown option --outfile (use --out FILE, --sign-off "Name, role", --pack-dir DIR)');
  });
});
