import { Injectable } from '@nestjs/common';
import { inspect } from 'node:util';
import { PersonalDataCipher, isEncryptedValue } from '../../libs/crypto/index.js';
import type { Sealed } from '../../libs/domain/index.js';

/** Field names personal data is sealed under (bound into the ciphertext), one per place it appears. */
export const sealedField = {
  referralNote: (referralId: string) => `referral:${referralId}:note`,
  declineNote: (referralId: string) => `referral:${referralId}:decline-note`,
  outcome: (referralId: string) => `referral:${referralId}:outcome`,
  interruptionNote: 'case:interruption-note',
  casePlan: 'case:plan',
  /** The safety plan is the person's data of the safety category, sealed under the category's name like the others. */
  safetyPlan: 'safety',
  determinationReasons: (determinationId: string) => `determination:${determinationId}:reasons`,
};

/**
 * Personal data a command carries before it is sealed. The value sits under a symbol only: were a
 * placeholder ever written as it is, JSON would drop the value, never store it in clear; logged or
 * inspected (console.log, util.inspect, an error's details), it shows only that it is pending.
 */
const PENDING = Symbol('personal data to seal');

interface PendingSeal {
  readonly [PENDING]: { readonly field: string; readonly value: unknown };
}

/** Marks a value to be sealed under `field` once the decider has accepted the command that carries it. */
export type SealLater = (field: string, value: unknown) => Sealed;

export const sealLater: SealLater = (field, value) =>
  Object.defineProperties(
    { [PENDING]: { field, value } },
    {
      toJSON: { value: () => ({}) },
      [inspect.custom]: { value: () => '[personal data, to be sealed]' },
    },
  );

const isPending = (value: unknown): value is PendingSeal => typeof value === 'object' && value !== null && PENDING in value;

/**
 * Replaces every placeholder in decided events by its ciphertext. Sealing writes the case's data key
 * on first use, so it runs only for a command the decider accepted; `sealed` remembers what an
 * earlier attempt sealed, so a retry after a concurrent change never seals again.
 */
export async function sealPending<T>(
  value: T,
  seal: (field: string, value: unknown) => Promise<Sealed>,
  sealed: Map<string, Sealed>,
): Promise<T> {
  if (isPending(value)) {
    const { field, value: clear } = value[PENDING];
    const key = JSON.stringify([field, clear]);
    if (!sealed.has(key)) sealed.set(key, await seal(field, clear));
    return sealed.get(key) as T;
  }
  if (Array.isArray(value)) return (await Promise.all(value.map((item: unknown) => sealPending(item, seal, sealed)))) as T;
  if (typeof value !== 'object' || value === null) return value;
  const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await sealPending(v, seal, sealed)] as const));
  return Object.fromEntries(entries) as T;
}

/** Seals and opens a case's personal data under the case's own key. */
@Injectable()
export class CaseSealing {
  constructor(private readonly cipher: PersonalDataCipher) {}

  async seal(caseId: string, field: string, value: unknown): Promise<Sealed> {
    return (await this.cipher.encrypt(caseId, field, value)) as unknown as Sealed;
  }

  /** An erased case's data reads as `{ erased: true }`, never as an error. */
  async unseal(caseId: string, field: string, sealed: Sealed): Promise<unknown> {
    if (!isEncryptedValue(sealed)) return { erased: true };
    const opened = await this.cipher.decrypt(caseId, field, sealed);
    return 'erased' in opened ? { erased: true } : opened.value;
  }

  async unsealAll(caseId: string, sealed: Partial<Record<string, Sealed>>): Promise<Record<string, unknown>> {
    const opened: Record<string, unknown> = {};
    for (const [category, value] of Object.entries(sealed)) if (value) opened[category] = await this.unseal(caseId, category, value);
    return opened;
  }
}
