// Personal data in an outbox payload travels sealed (the key ring's SM4 field encryption): the
// message table and the dead-letter view never show it in clear, and only the adapter opens it, at the
// moment of sending. The integration module hands over the key ring at start (its onStart).
import type { KeyRing } from '../crypto/keyring.ts';

let ring: Pick<KeyRing, 'encryptField' | 'decryptField'> | null = null;

export function useSealingKeys(keys: Pick<KeyRing, 'encryptField' | 'decryptField'>): void {
  ring = keys;
}

export function openSealed(token: string): string {
  if (!ring) throw new Error('outbox: no key ring to open sealed payload fields (useSealingKeys not called)');
  return ring.decryptField(token);
}

/** A sealed JSON object (several fields at once). */
export function openSealedJson<T>(token: string): T {
  return JSON.parse(openSealed(token)) as T;
}
