import type { SASLOptions } from 'kafkajs';
import { ConfigError } from '../config/config-error.js';

/** The relay's Kafka settings, read from the environment; a wrong one stops the start naming it. */
export interface KafkaSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** The broker deduplicates the producer's retries (needs a real Kafka; librdkafka's mock test broker has no support). */
  readonly idempotent: boolean;
  /** Creates each agency's topic, compacted, before its first message (a real Kafka; the mock broker has no CreateTopics). */
  readonly createTopics: boolean;
  /** Checks each topic is compacted before its first message, refusing to publish otherwise (the mock broker has no DescribeConfigs). */
  readonly verifyTopics: boolean;
  readonly ssl: boolean;
  readonly sasl?: SASLOptions;
}

const flag = (env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean => {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  if (value !== 'true' && value !== 'false') throw new ConfigError(name, 'must be true or false');
  return value === 'true';
};

export function kafkaSettings(env: NodeJS.ProcessEnv): KafkaSettings {
  const brokers = (env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length === 0) throw new ConfigError('KAFKA_BROKERS', 'is required: comma-separated host:port of the Kafka brokers');
  if (brokers.some((b) => !/^[^\s:]+:\d{1,5}$/.test(b))) throw new ConfigError('KAFKA_BROKERS', 'each broker is host:port');
  const mechanism = env.KAFKA_SASL_MECHANISM;
  if (mechanism !== undefined && !['plain', 'scram-sha-256', 'scram-sha-512'].includes(mechanism)) {
    throw new ConfigError('KAFKA_SASL_MECHANISM', 'is plain, scram-sha-256 or scram-sha-512');
  }
  const [username, password] = [env.KAFKA_SASL_USERNAME, env.KAFKA_SASL_PASSWORD];
  if (mechanism && (!username || !password)) {
    throw new ConfigError('KAFKA_SASL_USERNAME', 'and KAFKA_SASL_PASSWORD are required with KAFKA_SASL_MECHANISM');
  }
  const ssl = flag(env, 'KAFKA_SSL', false);
  // PLAIN sends the password as it is: only inside TLS.
  if (mechanism === 'plain' && !ssl)
    throw new ConfigError('KAFKA_SASL_MECHANISM', 'plain sends the password in clear: it needs KAFKA_SSL=true');
  return {
    brokers,
    clientId: env.KAFKA_CLIENT_ID || 'referrals-feed-relay',
    idempotent: flag(env, 'KAFKA_IDEMPOTENT', true),
    createTopics: flag(env, 'KAFKA_CREATE_TOPICS', true),
    verifyTopics: flag(env, 'KAFKA_VERIFY_TOPICS', true),
    ssl,
    ...(mechanism ? { sasl: { mechanism, username, password } as SASLOptions } : {}),
  };
}
