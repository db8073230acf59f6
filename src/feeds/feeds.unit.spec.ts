import { describe, expect, it } from '@jest/globals';
import { exportJWK, generateKeyPair } from 'jose';
import { ConfigError } from '../config/app-config.js';
import { UnusableFeedKeyError, feedPublicKey } from './feed-encryption.js';
import { FEED_TOPIC_CONFIG } from './feed-message.js';
import { feedCaseKey, feedMessageId } from './feed-pseudonyms.js';
import { topicRefusal } from './kafka-publisher.js';
import { kafkaSettings } from './kafka-settings.js';

const CASE = '6f1f7a52-3c1e-4d8e-9a51-0f7e2b9d4c11';
const base64url = (bytes: number[]) => Buffer.from(bytes).toString('base64url');

describe('feed pseudonyms', () => {
  it("gives a case the same record key every time in one agency's topic, so compaction replaces its earlier messages", () => {
    expect(feedCaseKey('secret of agency A', CASE)).toBe(feedCaseKey('secret of agency A', CASE));
  });

  it("gives the same case different record keys in two agencies' topics, neither showing the case id", () => {
    const [a, b] = [feedCaseKey('secret of agency A', CASE), feedCaseKey('secret of agency B', CASE)];
    expect(a).not.toBe(b);
    expect(`${a} ${b}`).not.toContain(CASE);
  });

  it('never gives a message the record key of a case (an event id and a case id are pseudonymised apart)', () => {
    expect(feedMessageId('secret', CASE)).not.toBe(feedCaseKey('secret', CASE));
  });
});

describe('the feed key an agency registers', () => {
  const rsa = async (modulusLength: number) =>
    exportJWK((await generateKeyPair('RSA-OAEP-256', { extractable: true, modulusLength })).publicKey);

  it('takes a 2048-bit RSA public key', async () => {
    await expect(feedPublicKey(await rsa(2048))).resolves.toMatchObject({ kty: 'RSA', kid: expect.any(String) });
  });

  it('refuses a private key rather than storing it', async () => {
    const { privateKey } = await generateKeyPair('ECDH-ES+A256KW', { extractable: true });
    await expect(feedPublicKey(await exportJWK(privateKey))).rejects.toThrow(/public key only/);
  });

  it('counts the bits of an RSA modulus, not its bytes: 256 bytes with a leading zero are fewer than 2048 bits', async () => {
    const key = await rsa(2048);
    const padded = { ...key, n: base64url([0, ...Buffer.from(key.n!, 'base64url').subarray(1)]) };
    await expect(feedPublicKey(padded)).rejects.toThrow(new UnusableFeedKeyError('an RSA key must have at least 2048 bits'));
  });

  it('refuses an RSA key with the public exponent 3', async () => {
    await expect(feedPublicKey({ ...(await rsa(2048)), e: base64url([3]) })).rejects.toThrow(/exponent/);
  });
});

describe('the Kafka settings of the relay', () => {
  const env = { KAFKA_BROKERS: 'kafka:9092', KAFKA_SASL_USERNAME: 'relay', KAFKA_SASL_PASSWORD: 'secret' };

  it('refuses SASL PLAIN without TLS: the password would cross the network in clear', () => {
    expect(() => kafkaSettings({ ...env, KAFKA_SASL_MECHANISM: 'plain' })).toThrow(ConfigError);
  });

  it('takes SASL PLAIN inside TLS', () => {
    expect(kafkaSettings({ ...env, KAFKA_SASL_MECHANISM: 'plain', KAFKA_SSL: 'true' })).toMatchObject({
      ssl: true,
      sasl: { mechanism: 'plain' },
    });
  });

  it('checks topics are compacted unless told the broker cannot say (the test broker)', () => {
    expect(kafkaSettings({ KAFKA_BROKERS: 'kafka:9092' }).verifyTopics).toBe(true);
  });
});

describe('a feed topic the relay publishes to', () => {
  const entries = (config: Record<string, string>) =>
    Object.entries(config).map(([configName, configValue]) => ({ configName, configValue }));

  it('is fit as the relay creates it', () => {
    expect(topicRefusal(entries(Object.fromEntries(FEED_TOPIC_CONFIG.map((c) => [c.name, c.value]))))).toBeUndefined();
  });

  it('is refused when it is not compacted: a redaction would never replace what it redacts', () => {
    expect(topicRefusal(entries({ 'cleanup.policy': 'delete', 'max.compaction.lag.ms': '86400000' }))).toMatch(/cleanup.policy/);
  });

  it("is refused when compaction may wait for ever (the broker's default)", () => {
    expect(topicRefusal(entries({ 'cleanup.policy': 'compact', 'max.compaction.lag.ms': '9223372036854775807' }))).toMatch(
      /max.compaction.lag.ms/,
    );
  });
});
