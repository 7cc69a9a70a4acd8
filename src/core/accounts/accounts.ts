import { AppError, assertThat } from '../shared/errors.js';
import type { Clock } from '../shared/clock.js';
import type { ApiTokenId, OrganisationId } from '../shared/ids.js';
import type { AccountStore, PasswordHasher, Secrets } from './ports.js';
import { canManageAccounts, isStaff, type Actor, type Role } from './roles.js';
import type { ApiToken, Session, User } from './types.js';

/** NCSC guidance favours length over composition rules; 10 characters is our floor. */
export const MIN_PASSWORD_LENGTH = 10;
export const SESSION_DAYS = 7;
/** Login throttling: failures allowed per account and per address within the window. */
export const LOGIN_WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_IP = 30;
export const API_TOKEN_PREFIX = 'mob_';

export interface AccountsDeps {
  store: AccountStore;
  hasher: PasswordHasher;
  secrets: Secrets;
  clock: Clock;
}

export interface NewAccountInput {
  email: string;
  name: string;
  role: Role;
  organisationId?: OrganisationId | undefined;
  password: string;
}

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/** Returns a message when the password is too weak, otherwise undefined. */
export const passwordProblem = (password: string, email?: string): string | undefined => {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return `Password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  }
  if (email !== undefined && password.toLowerCase() === normaliseEmail(email)) {
    return 'Password must not be your email address';
  }
  return undefined;
};

const toActor = (user: User): Actor => ({
  userId: user.id,
  role: user.role,
  organisationId: user.organisationId,
  name: user.name,
});

export const createAccounts = ({ store, hasher, secrets, clock }: AccountsDeps) => {
  // A fixed hash to verify against when the email is unknown, so both paths cost one scrypt.
  let decoyHash: Promise<string> | undefined;
  const decoy = (): Promise<string> => (decoyHash ??= hasher.hash(secrets.randomToken()));

  const startSession = async (user: User): Promise<{ token: string; session: Session }> => {
    const token = secrets.randomToken();
    const session: Session = {
      userId: user.id,
      csrfToken: secrets.randomToken(),
      expiresAt: new Date(clock.now().getTime() + SESSION_DAYS * 86_400_000),
    };
    await store.insertSession(secrets.hashToken(token), session);
    return { token, session };
  };

  /** Checks the password, with throttling per email and per address, and opens a session. */
  const logIn = async (input: { email: string; password: string; ip: string }) => {
    const email = normaliseEmail(input.email);
    const now = clock.now();
    const since = new Date(now.getTime() - LOGIN_WINDOW_MINUTES * 60_000);
    const failures = await store.countFailedLogins({ email, ip: input.ip, since });
    if (failures.byEmail >= MAX_FAILURES_PER_EMAIL || failures.byIp >= MAX_FAILURES_PER_IP) {
      throw new AppError('auth.rate_limited', `Too many failed sign-in attempts. Try again in ${LOGIN_WINDOW_MINUTES} minutes.`);
    }
    const found = await store.findUserByEmail(email);
    const isValid = await hasher.verify(input.password, found?.passwordHash ?? (await decoy()));
    await store.recordLoginAttempt({ email, ip: input.ip, succeeded: Boolean(found) && isValid, at: now });
    if (!found || !isValid) {
      throw new AppError('auth.invalid_credentials', 'Email address or password is not right');
    }
    const { passwordHash: _secret, ...user } = found;
    return { user, ...(await startSession(user)) };
  };

  /** The actor behind a session cookie, or undefined when the session is unknown or expired. */
  const authenticateSession = async (token: string) => {
    const session = await store.findSession(secrets.hashToken(token), clock.now());
    if (!session) {
      return undefined;
    }
    const user = await store.findUser(session.userId);
    return user ? { user, actor: toActor(user), session } : undefined;
  };

  /** The actor behind a personal API token (`Authorization: Bearer mob_…`). */
  const authenticateToken = async (token: string) => {
    if (!token.startsWith(API_TOKEN_PREFIX)) {
      return undefined;
    }
    const apiToken = await store.useApiToken(secrets.hashToken(token), clock.now());
    const user = apiToken ? await store.findUser(apiToken.userId) : undefined;
    return user ? { user, actor: toActor(user) } : undefined;
  };

  const logOut = (token: string): Promise<void> => store.deleteSession(secrets.hashToken(token));

  /** Changes the actor's password and signs out their other sessions. */
  const changePassword = async (
    actor: Actor,
    input: { currentPassword: string; newPassword: string; currentSessionToken: string | undefined },
  ) => {
    const user = await store.findUser(actor.userId);
    assertThat(user, 'account.not_found');
    const withSecret = await store.findUserByEmail(user.email);
    assertThat(withSecret, 'account.not_found');
    if (!(await hasher.verify(input.currentPassword, withSecret.passwordHash))) {
      throw new AppError('validation.failed', 'Current password is not right', {
        fields: { currentPassword: 'Enter your current password' },
      });
    }
    const problem = passwordProblem(input.newPassword, user.email);
    if (problem) {
      throw new AppError('auth.password_too_weak', problem, { fields: { newPassword: problem } });
    }
    await store.updatePasswordHash(user.id, await hasher.hash(input.newPassword));
    const keep = input.currentSessionToken ? secrets.hashToken(input.currentSessionToken) : undefined;
    await store.deleteOtherSessions(user.id, keep);
  };

  /** Creates an account. `actor` is undefined only for the operator's CLI and the demo seed. */
  const createUser = async (actor: Actor | undefined, input: NewAccountInput): Promise<User> => {
    if (actor) {
      assertThat(canManageAccounts(actor.role), 'auth.forbidden', 'Only administrators create accounts');
    }
    const email = normaliseEmail(input.email);
    const problem = passwordProblem(input.password, email);
    if (problem) {
      throw new AppError('auth.password_too_weak', problem, { fields: { password: problem } });
    }
    if (await store.findUserByEmail(email)) {
      throw new AppError('account.email_taken', `An account already exists for ${email}`, { fields: { email: 'An account already exists for this email address' } });
    }
    return store.insertUser({
      email,
      name: input.name.trim(),
      role: input.role,
      organisationId: input.organisationId,
      passwordHash: await hasher.hash(input.password),
    });
  };

  /** Staff see every account: they assign fellows and post needs on requesters' behalf. */
  const listUsers = (actor: Actor): Promise<User[]> => {
    assertThat(isStaff(actor.role), 'auth.forbidden', 'Only staff list accounts');
    return store.listUsers();
  };

  /** Issues a personal API token; the plain token is returned once and never stored. */
  const createApiToken = async (actor: Actor, name: string): Promise<{ token: string; apiToken: ApiToken }> => {
    const token = `${API_TOKEN_PREFIX}${secrets.randomToken()}`;
    const apiToken = await store.insertApiToken({
      userId: actor.userId,
      name: name.trim(),
      prefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
      tokenHash: secrets.hashToken(token),
    });
    return { token, apiToken };
  };

  const listApiTokens = (actor: Actor): Promise<ApiToken[]> => store.listApiTokens(actor.userId);

  const revokeApiToken = async (actor: Actor, id: ApiTokenId): Promise<void> => {
    const isRevoked = await store.revokeApiToken(actor.userId, id, clock.now());
    assertThat(isRevoked, 'auth.token_invalid', 'No such token');
  };

  return {
    logIn,
    logOut,
    authenticateSession,
    authenticateToken,
    changePassword,
    createUser,
    listUsers,
    createApiToken,
    listApiTokens,
    revokeApiToken,
  };
};

export type Accounts = ReturnType<typeof createAccounts>;
