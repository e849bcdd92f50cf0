/** Thrown for any failed decryption or verification; the message never reveals which check failed. */
export class CryptoError extends Error {
  override readonly name = 'CryptoError';
}
