export { CryptoError } from './errors.ts';
export { KeyRing, type KeyRingData, type LoadKeyRingOptions, loadKeyRing } from './keyring.ts';
export { type Sm2KeyPair, sm2Decrypt, sm2Encrypt, sm2GenerateKeyPair, sm2KeyPairMatches, sm2Sign, sm2Verify } from './sm2.ts';
export { type SealedColumn, type UnsourcedBlindIndex, unsourcedIndexMatch } from './sealed-columns.ts';
export { hmacSm3, sm3, sm3Hex } from './sm3.ts';
export { sm4EncryptBlockEcb, sm4Open, sm4Seal } from './sm4.ts';
