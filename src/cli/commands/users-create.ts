import { z } from 'zod';
import type { Config } from '../../config/config.js';
import { migrate } from '../../adapters/db/migrate.js';
import { nodeSecrets } from '../../adapters/crypto/secrets.js';
import { roles } from '../../core/accounts/roles.js';
import { AppError } from '../../core/shared/errors.js';
import { createServices, openDatabase } from '../../compose.js';
import { parseOptions } from '../options.js';

const optionsSchema = z.object({
  email: z.email({ error: 'Enter an email address like name@example.org' }),
  role: z.enum(roles, { error: `Role must be one of: ${roles.join(', ')}` }),
  name: z.string().trim().min(1).optional(),
  organisation: z.string().trim().min(1).optional(),
  passwordStdin: z.boolean().optional(),
  json: z.boolean().optional(),
});

const readStdin = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
};

/** `mobilise users create`: the operator's way to make the first admin, and any account after. */
export const usersCreateCommand = async (config: Config, raw: Record<string, unknown>): Promise<void> => {
  const options = parseOptions(optionsSchema, raw);
  const password = options.passwordStdin ? await readStdin() : nodeSecrets.randomToken(15);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, holder: 'mobilise users create' });
  try {
    await migrate(db);
    const services = createServices(db);
    let organisationId;
    if (options.organisation) {
      const organisation = await services.directory.findOrganisationByName(options.organisation);
      if (!organisation) {
        throw new AppError('organisation.not_found', `No organisation called "${options.organisation}"`);
      }
      organisationId = organisation.id;
    }
    const user = await services.accounts.createUser(undefined, {
      email: options.email,
      name: options.name ?? options.email.split('@')[0] ?? options.email,
      role: options.role,
      organisationId,
      password,
    });
    const generated = options.passwordStdin ? undefined : password;
    process.stdout.write(
      options.json
        ? `${JSON.stringify({ id: user.id, email: user.email, role: user.role, ...(generated ? { password: generated } : {}) })}\n`
        : `Created ${user.role} ${user.email}${generated ? `\nPassword (shown once): ${generated}` : ''}\n`,
    );
  } finally {
    await db.close();
  }
};
