import type { AccountStore } from '../../core/accounts/ports.js';
import { isRole } from '../../core/accounts/roles.js';
import type { ApiToken, User, UserWithSecret } from '../../core/accounts/types.js';
import type { ApiTokenId, OrganisationId, UserId } from '../../core/shared/ids.js';
import type { Sql } from '../../core/shared/sql.js';

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: string;
  organisation_id: string | null;
  password_hash: string;
  created_at: Date;
}

interface TokenRow {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const userColumns = 'id, email, name, role, organisation_id, password_hash, created_at';

const toUser = (row: UserRow): User => {
  if (!isRole(row.role)) {
    throw new Error(`users.role holds an unknown role: ${row.role}`);
  }
  return {
    id: row.id as UserId,
    email: row.email,
    name: row.name,
    role: row.role,
    organisationId: (row.organisation_id ?? undefined) as OrganisationId | undefined,
    createdAt: row.created_at,
  };
};

const toToken = (row: TokenRow): ApiToken => ({
  id: row.id as ApiTokenId,
  userId: row.user_id as UserId,
  name: row.name,
  prefix: row.prefix,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at ?? undefined,
  revokedAt: row.revoked_at ?? undefined,
});

/** Accounts, sessions, API tokens and login attempts in PostgreSQL. */
export const createAccountsRepo = (sql: Sql): AccountStore => ({
  async findUserByEmail(email) {
    const [row] = await sql.query<UserRow>(`select ${userColumns} from users where lower(email) = lower($1)`, [email]);
    return row ? ({ ...toUser(row), passwordHash: row.password_hash } satisfies UserWithSecret) : undefined;
  },
  async findUser(id) {
    const [row] = await sql.query<UserRow>(`select ${userColumns} from users where id = $1`, [id]);
    return row ? toUser(row) : undefined;
  },
  async listUsers() {
    const rows = await sql.query<UserRow>(`select ${userColumns} from users order by lower(name)`);
    return rows.map(toUser);
  },
  async insertUser(user) {
    // The account and its person record belong together.
    return sql.transaction(async (tx) => {
      const [row] = await tx.query<UserRow>(
        `insert into users (email, name, role, organisation_id, password_hash)
         values ($1, $2, $3, $4, $5) returning ${userColumns}`,
        [user.email, user.name, user.role, user.organisationId ?? null, user.passwordHash],
      );
      if (!row) {
        throw new Error('insert into users returned no row');
      }
      await tx.query('insert into people (name, email, organisation_id, user_id) values ($1, $2, $3, $4)', [
        user.name,
        user.email,
        user.organisationId ?? null,
        row.id,
      ]);
      return toUser(row);
    });
  },
  async updatePasswordHash(id, passwordHash) {
    await sql.query('update users set password_hash = $2, password_changed_at = now() where id = $1', [id, passwordHash]);
  },
  async deleteOtherSessions(id, keepSessionHash) {
    await sql.query('delete from sessions where user_id = $1 and token_hash is distinct from $2', [id, keepSessionHash ?? null]);
  },
  async insertSession(sessionHash, session) {
    await sql.query('insert into sessions (token_hash, user_id, csrf_token, expires_at) values ($1, $2, $3, $4)', [
      sessionHash,
      session.userId,
      session.csrfToken,
      session.expiresAt,
    ]);
  },
  async findSession(sessionHash, now) {
    const [row] = await sql.query<{ user_id: string; csrf_token: string; expires_at: Date }>(
      'select user_id, csrf_token, expires_at from sessions where token_hash = $1 and expires_at > $2',
      [sessionHash, now],
    );
    return row ? { userId: row.user_id as UserId, csrfToken: row.csrf_token, expiresAt: row.expires_at } : undefined;
  },
  async deleteSession(sessionHash) {
    await sql.query('delete from sessions where token_hash = $1', [sessionHash]);
  },
  async insertApiToken(token) {
    const [row] = await sql.query<TokenRow>(
      `insert into api_tokens (user_id, name, prefix, token_hash) values ($1, $2, $3, $4)
       returning id, user_id, name, prefix, created_at, last_used_at, revoked_at`,
      [token.userId, token.name, token.prefix, token.tokenHash],
    );
    if (!row) {
      throw new Error('insert into api_tokens returned no row');
    }
    return toToken(row);
  },
  async listApiTokens(userId) {
    const rows = await sql.query<TokenRow>(
      `select id, user_id, name, prefix, created_at, last_used_at, revoked_at from api_tokens
       where user_id = $1 order by created_at desc`,
      [userId],
    );
    return rows.map(toToken);
  },
  async revokeApiToken(userId, id, at) {
    const rows = await sql.query('update api_tokens set revoked_at = $3 where id = $1 and user_id = $2 and revoked_at is null returning id', [
      id,
      userId,
      at,
    ]);
    return rows.length > 0;
  },
  async useApiToken(tokenHash, at) {
    const [row] = await sql.query<TokenRow>(
      `update api_tokens set last_used_at = $2 where token_hash = $1 and revoked_at is null
       returning id, user_id, name, prefix, created_at, last_used_at, revoked_at`,
      [tokenHash, at],
    );
    return row ? toToken(row) : undefined;
  },
  async recordLoginAttempt(attempt) {
    await sql.query('insert into login_attempts (email, ip, succeeded, created_at) values ($1, $2, $3, $4)', [
      attempt.email,
      attempt.ip,
      attempt.succeeded,
      attempt.at,
    ]);
  },
  async countFailedLogins({ email, ip, since }) {
    const [row] = await sql.query<{ by_email: number; by_ip: number }>(
      `select count(*) filter (where email = $1)::int as by_email, count(*) filter (where ip = $2)::int as by_ip
       from login_attempts where not succeeded and created_at > $3 and (email = $1 or ip = $2)`,
      [email, ip, since],
    );
    return { byEmail: row?.by_email ?? 0, byIp: row?.by_ip ?? 0 };
  },
});
