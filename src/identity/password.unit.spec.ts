import { describe, expect, it } from '@jest/globals';
import { hashPassword, needsRehash, verifyPassword } from './password.js';

/** Stored by the service before it hashed natively (hash-wasm, which writes the parameters as m, t, p). */
const EARLIER_PASSWORD = 'a passphrase from before';
const EARLIER_HASH = '$argon2id$v=19$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$pvscejM3BRmOXjzR9UK7SHFjwvSOFejMigHg4cCL5aI';
/** The same password with another of OWASP's argon2id settings (12 MiB, three passes). */
const OTHER_PARAMETERS_HASH = '$argon2id$v=19$m=12288,t=3,p=1$MDEyMzQ1Njc4OWFiY2RlZg$ccbSQdqxUoCm95YTKVLr827khAAJ9eFm7kGP9u0oZ6w';

describe('passwords', () => {
  it('hashes as argon2id with a salt of its own each time, and verifies only the password hashed', async () => {
    const [first, second] = [await hashPassword('correct horse battery'), await hashPassword('correct horse battery')];
    expect(first).toMatch(/^\$argon2id\$v=19\$/);
    expect(first).not.toBe(second);
    expect(await verifyPassword('correct horse battery', first)).toBe(true);
    expect(await verifyPassword('correct horse batterY', first)).toBe(false);
  });

  it('does not ask to rehash what it hashed itself', async () => {
    expect(needsRehash(await hashPassword('correct horse battery'))).toBe(false);
  });

  it('verifies a hash stored before, and does not rehash it: its parameters are today’s, in another order', async () => {
    expect(await verifyPassword(EARLIER_PASSWORD, EARLIER_HASH)).toBe(true);
    expect(await verifyPassword('another passphrase', EARLIER_HASH)).toBe(false);
    expect(needsRehash(EARLIER_HASH)).toBe(false);
  });

  it('verifies a hash with other parameters, and asks to rehash it', async () => {
    expect(await verifyPassword(EARLIER_PASSWORD, OTHER_PARAMETERS_HASH)).toBe(true);
    expect(needsRehash(OTHER_PARAMETERS_HASH)).toBe(true);
  });

  it.each([
    ['a truncated argon2id hash', '$argon2id$v=19$m=19456'],
    ['an argon2id hash with no parameters', '$argon2id$garbage'],
    ['an empty value', ''],
    ['an unknown scheme', 'md5$5f4dcc3b5aa765d61d8327deb882cf99'],
  ])('matches no password with %s, and asks to rehash it', async (_, stored) => {
    expect(await verifyPassword(EARLIER_PASSWORD, stored)).toBe(false);
    expect(needsRehash(stored)).toBe(true);
  });
});
