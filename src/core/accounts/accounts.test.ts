import { describe, expect, it } from 'vitest';
import { createMemoryAccountStore } from '../../../test/fakes/account-store.js';
import { createFakeClock } from '../../../test/fakes/clock.js';
import { createScryptHasher } from '../../adapters/crypto/scrypt-hasher.js';
import { nodeSecrets } from '../../adapters/crypto/secrets.js';
import { MAX_FAILURES_PER_EMAIL, SESSION_DAYS, createAccounts, passwordProblem } from './accounts.js';
import type { Actor } from './roles.js';

const setup = () => {
  const { store, sessions } = createMemoryAccountStore();
  const time = createFakeClock();
  const accounts = createAccounts({ store, hasher: createScryptHasher({ N: 2 ** 10, r: 8, p: 1 }), secrets: nodeSecrets, clock: time.clock });
  return { accounts, sessions, time };
};
const password = 'long enough password';

describe('accounts', () => {
  it('signs in with the right password, case-insensitively by email, and stores only a hash of the session token', async () => {
    const { accounts, sessions } = setup();
    await accounts.createUser(undefined, { email: 'Fellow@Example.org', name: 'Fellow', role: 'fellow', password });
    const { token, user } = await accounts.logIn({ email: 'fellow@example.ORG ', password, ip: '1.1.1.1' });
    expect(user.email).toBe('fellow@example.org');
    expect([...sessions.keys()]).not.toContain(token);
    expect((await accounts.authenticateSession(token))?.actor.role).toBe('fellow');
  });

  it('refuses a wrong password and an unknown email with the same error', async () => {
    const { accounts } = setup();
    await accounts.createUser(undefined, { email: 'a@example.org', name: 'A', role: 'requester', password });
    await expect(accounts.logIn({ email: 'a@example.org', password: 'wrong password!', ip: 'x' })).rejects.toMatchObject({ code: 'auth.invalid_credentials' });
    await expect(accounts.logIn({ email: 'nobody@example.org', password, ip: 'x' })).rejects.toMatchObject({ code: 'auth.invalid_credentials' });
  });

  it(`locks an email after ${MAX_FAILURES_PER_EMAIL} failures in the window, even for the right password, and unlocks after it`, async () => {
    const { accounts, time } = setup();
    await accounts.createUser(undefined, { email: 'a@example.org', name: 'A', role: 'requester', password });
    for (let attempt = 0; attempt < MAX_FAILURES_PER_EMAIL; attempt += 1) {
      // eslint-disable-next-line no-await-in-loop -- attempts are sequential by nature
      await expect(accounts.logIn({ email: 'a@example.org', password: 'not the password', ip: `10.0.0.${attempt}` })).rejects.toMatchObject({
        code: 'auth.invalid_credentials',
      });
    }
    await expect(accounts.logIn({ email: 'a@example.org', password, ip: '10.0.0.99' })).rejects.toMatchObject({ code: 'auth.rate_limited' });
    time.advance(16 * 60_000);
    await expect(accounts.logIn({ email: 'a@example.org', password, ip: '10.0.0.99' })).resolves.toMatchObject({ user: { email: 'a@example.org' } });
  });

  it('expires sessions after their lifetime', async () => {
    const { accounts, time } = setup();
    await accounts.createUser(undefined, { email: 'a@example.org', name: 'A', role: 'requester', password });
    const { token } = await accounts.logIn({ email: 'a@example.org', password, ip: 'x' });
    time.advance(SESSION_DAYS * 86_400_000 + 1);
    expect(await accounts.authenticateSession(token)).toBeUndefined();
  });

  it('changes a password, keeping the current session and ending the others', async () => {
    const { accounts } = setup();
    await accounts.createUser(undefined, { email: 'a@example.org', name: 'A', role: 'requester', password });
    const first = await accounts.logIn({ email: 'a@example.org', password, ip: 'x' });
    const second = await accounts.logIn({ email: 'a@example.org', password, ip: 'y' });
    const actor = (await accounts.authenticateSession(first.token))?.actor as Actor;
    await expect(accounts.changePassword(actor, { currentPassword: 'wrong password', newPassword: 'a new long password', currentSessionToken: first.token })).rejects.toMatchObject({
      code: 'validation.failed',
    });
    await accounts.changePassword(actor, { currentPassword: password, newPassword: 'a new long password', currentSessionToken: first.token });
    expect(await accounts.authenticateSession(first.token)).toBeDefined();
    expect(await accounts.authenticateSession(second.token)).toBeUndefined();
    await expect(accounts.logIn({ email: 'a@example.org', password: 'a new long password', ip: 'x' })).resolves.toBeDefined();
  });

  it('issues API tokens that work until revoked, and shows only their prefix afterwards', async () => {
    const { accounts } = setup();
    const user = await accounts.createUser(undefined, { email: 'a@example.org', name: 'A', role: 'fellow', password });
    const actor: Actor = { userId: user.id, role: user.role, organisationId: undefined, name: user.name };
    const { token, apiToken } = await accounts.createApiToken(actor, 'import script');
    expect(token.startsWith(apiToken.prefix)).toBe(true);
    expect(apiToken.prefix.length).toBeLessThan(token.length / 2);
    expect((await accounts.authenticateToken(token))?.actor.userId).toBe(user.id);
    await accounts.revokeApiToken(actor, apiToken.id);
    expect(await accounts.authenticateToken(token)).toBeUndefined();
    expect(await accounts.authenticateToken('not-a-token')).toBeUndefined();
  });

  it('lets only administrators create accounts, and refuses duplicates and weak passwords', async () => {
    const { accounts } = setup();
    const admin = await accounts.createUser(undefined, { email: 'admin@example.org', name: 'Admin', role: 'admin', password });
    const fellow = await accounts.createUser(undefined, { email: 'f@example.org', name: 'F', role: 'fellow', password });
    const asActor = (user: typeof admin): Actor => ({ userId: user.id, role: user.role, organisationId: undefined, name: user.name });
    const input = { email: 'new@example.org', name: 'New', role: 'requester' as const, password };
    await expect(accounts.createUser(asActor(fellow), input)).rejects.toMatchObject({ code: 'auth.forbidden' });
    await expect(accounts.createUser(asActor(admin), input)).resolves.toMatchObject({ email: 'new@example.org' });
    await expect(accounts.createUser(asActor(admin), { ...input, email: 'NEW@example.org' })).rejects.toMatchObject({ code: 'account.email_taken' });
    await expect(accounts.createUser(asActor(admin), { ...input, email: 'other@example.org', password: 'short' })).rejects.toMatchObject({ code: 'auth.password_too_weak' });
  });

  it.each([
    ['short', 'x@example.org', true],
    ['x@example.org', 'x@example.org', true],
    ['ten chars!', 'x@example.org', false],
  ])('judges %s as weak for %s: %s', (candidate, email, isWeak) => {
    expect(passwordProblem(candidate, email) !== undefined).toBe(isWeak);
  });
});
