// The load driver acts as each user's authenticator app, with the product's own RFC 6238 code.
import { totpCode } from '../server/src/platform/auth/totp.ts';

export { base32Encode } from '../server/src/platform/auth/totp.ts';

export const totpAt = (secretBase32: string, step: number) => totpCode(secretBase32, step * 30_000);
