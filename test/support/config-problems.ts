import { ConfigError, loadConfig, type ConfigFlags } from '../../src/config/config.js';

/** The problems a configuration is refused with (empty when it loads). */
export function configProblems(env: NodeJS.ProcessEnv, flags: ConfigFlags = {}): readonly string[] {
  try {
    loadConfig(env, flags);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}
