/** Parsers of single environment values: each refuses a bad value with a ConfigError naming the variable. */
import { ConfigError } from './config-error.js';

export function optional(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(name, `must be a whole number from ${min} to ${max}`);
  return value;
}

export function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, values: readonly T[], fallback: T): T {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  if (!(values as readonly string[]).includes(raw)) throw new ConfigError(name, `must be one of ${values.join(', ')}`);
  return raw as T;
}
export function username(env: NodeJS.ProcessEnv, name: string): string {
  const value = optional(env, name)!;
  if (!/^[a-z0-9._-]{3,60}$/.test(value))
    throw new ConfigError(name, 'is a username: 3 to 60 lower-case letters, digits, dot, dash or underscore');
  return value;
}

export function origins(env: NodeJS.ProcessEnv, name: string): string[] {
  const list = (optional(env, name) ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of list) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin))
      throw new ConfigError(name, 'is a comma-separated list of origins such as https://referrals.example.org');
  }
  return list;
}

export function boolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, 'must be true or false');
}
