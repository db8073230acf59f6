import { createHmac } from 'node:crypto';

/**
 * What a feed shows in clear (the record key, the message id) is a pseudonym made with the
 * receiving agency's own secret: stable, so compaction keeps the latest message per case and a
 * partner deduplicates retries, yet the broker, its operators and anyone reading two agencies'
 * topics can neither read a case id nor tell that two agencies' messages are about the same case or
 * event. The partner learns the case id only by decrypting the payload.
 */
const pseudonym = (secret: string, what: 'case' | 'message', id: string): string =>
  createHmac('sha256', secret).update(`${what}:${id}`).digest('base64url');

/** The record key of a case in one agency's topic. */
export const feedCaseKey = (secret: string, caseId: string): string => pseudonym(secret, 'case', caseId);

/** The message id of an event's message in one agency's topic. */
export const feedMessageId = (secret: string, eventId: string): string => pseudonym(secret, 'message', eventId);
