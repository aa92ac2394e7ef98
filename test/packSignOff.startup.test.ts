import { freePort, productionEnv, runService, tempDataDir } from './support/serviceProcess';

describe('a production service runs only a signed-off guidance pack', () => {
  it("refuses to start while the pack's reviewedBy is empty, with one error line saying how to sign off", async () => {
    const env = { ...productionEnv(), DATA_DIR: tempDataDir() };
    const { output, exited } = runService(env, await freePort());
    expect(await exited).toBe(1);
    const errors = output()
      .trim()
      .split('\n')
      .filter((line) => line.startsWith('safeguarding-bot:'));
    expect(errors).toEqual([
      expect.stringMatching(
        /^safeguarding-bot: failed to start: SG-CONTENT-INVALID: pack gloucestershire@[\d.]+ has an empty reviewedBy: production needs a pack signed off by a safeguarding lead \(.*--sign-off "Name, role"\)$/,
      ),
    ]);
  });
});
