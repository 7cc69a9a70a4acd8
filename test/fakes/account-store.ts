import { randomUUID } from 'node:crypto';
import type { AccountStore } from '../../src/core/accounts/ports.js';
import type { ApiToken, Session, UserWithSecret } from '../../src/core/accounts/types.js';
import type { ApiTokenId, UserId } from '../../src/core/shared/ids.js';

/** An in-memory AccountStore with the same contract as the PostgreSQL repository. */
export const createMemoryAccountStore = () => {
  const users = new Map<UserId, UserWithSecret>();
  const sessions = new Map<string, Session>();
  const tokens = new Map<string, ApiToken & { tokenHash: string }>();
  const attempts: { email: string; ip: string; succeeded: boolean; at: Date }[] = [];
  const strip = ({ passwordHash: _hash, ...user }: UserWithSecret) => user;
  const store: AccountStore = {
    findUserByEmail: async (email) => [...users.values()].find((user) => user.email.toLowerCase() === email.toLowerCase()),
    findUser: async (id) => {
      const user = users.get(id);
      return user ? strip(user) : undefined;
    },
    listUsers: async () => [...users.values()].map(strip),
    insertUser: async (input) => {
      const user: UserWithSecret = { ...input, id: randomUUID() as UserId, createdAt: new Date(0) };
      users.set(user.id, user);
      return strip(user);
    },
    updatePasswordHash: async (id, passwordHash) => {
      const user = users.get(id);
      if (user) {
        users.set(id, { ...user, passwordHash });
      }
    },
    deleteOtherSessions: async (id, keep) => {
      for (const [hash, session] of sessions) {
        if (session.userId === id && hash !== keep) {
          sessions.delete(hash);
        }
      }
    },
    insertSession: async (hash, session) => {
      sessions.set(hash, session);
    },
    findSession: async (hash, now) => {
      const session = sessions.get(hash);
      return session && session.expiresAt > now ? session : undefined;
    },
    deleteSession: async (hash) => {
      sessions.delete(hash);
    },
    insertApiToken: async (input) => {
      const token = { id: randomUUID() as ApiTokenId, userId: input.userId, name: input.name, prefix: input.prefix, tokenHash: input.tokenHash, createdAt: new Date(0), lastUsedAt: undefined, revokedAt: undefined };
      tokens.set(token.id, token);
      return token;
    },
    listApiTokens: async (userId) => [...tokens.values()].filter((token) => token.userId === userId),
    revokeApiToken: async (userId, id, at) => {
      const token = tokens.get(id);
      if (!token || token.userId !== userId || token.revokedAt) {
        return false;
      }
      tokens.set(id, { ...token, revokedAt: at });
      return true;
    },
    useApiToken: async (hash, at) => {
      const token = [...tokens.values()].find((candidate) => candidate.tokenHash === hash && !candidate.revokedAt);
      if (!token) {
        return undefined;
      }
      tokens.set(token.id, { ...token, lastUsedAt: at });
      return { ...token, lastUsedAt: at };
    },
    recordLoginAttempt: async (attempt) => {
      attempts.push(attempt);
    },
    countFailedLogins: async ({ email, ip, since }) => {
      const failed = attempts.filter((attempt) => !attempt.succeeded && attempt.at > since);
      return { byEmail: failed.filter((attempt) => attempt.email === email).length, byIp: failed.filter((attempt) => attempt.ip === ip).length };
    },
  };
  return { store, sessions };
};
