// The browser tests act as the person's authenticator app, with the product's own RFC 6238 code
// (its test vectors are checked in server/src/platform/auth/totp.test.ts).
import { totpCode, totpStep } from '../../server/src/platform/auth/totp.ts';

export const totp = (secret: string, timeMs = Date.now()) => totpCode(secret, timeMs);

// The server accepts each time step once per user: remember what was used and wait for a fresh step.
const usedStep = new Map<string, number>();

/** A code for `secret` that this process has not used yet (waits for the next 30 s step if needed). */
export async function freshTotp(secret: string): Promise<string> {
  const key = secret.replace(/\s/g, '').toUpperCase();
  while (usedStep.get(key) !== undefined && totpStep(Date.now()) <= usedStep.get(key)!) {
    await new Promise((r) => setTimeout(r, 500));
  }
  // Too close to the end of a step: the code could expire in flight.
  if (30_000 - (Date.now() % 30_000) < 2_000) await new Promise((r) => setTimeout(r, 2_500));
  usedStep.set(key, totpStep(Date.now()));
  return totp(key);
}
