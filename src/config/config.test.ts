import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('config', () => {
  it('defaults to port 3000, ./data and the demo seed in development', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, databaseUrl: undefined, seedDemo: true, isProduction: false, cookieSecure: false });
    expect(config.dataDir.endsWith('/data')).toBe(true);
    expect(config.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
  });

  it('never seeds the demo on a PostgreSQL server or in production unless asked', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://localhost/mobilise' }).seedDemo).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({ seedDemo: false, cookieSecure: true });
    expect(loadConfig({ DATABASE_URL: 'postgres://localhost/mobilise', SEED_DEMO: 'true' }).seedDemo).toBe(true);
  });

  it('reports every problem at once, naming each variable', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://nope', NODE_ENV: 'staging' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toContain('PORT');
      expect(problems).toContain('DATABASE_URL');
      expect(problems).toContain('NODE_ENV');
    }
  });
});
