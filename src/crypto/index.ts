export { AddressCipher, DecryptionError } from './address-cipher';
export { BlindIndex } from './blind-index';
export { CryptoModule } from './crypto.module';
export { KeyRing, KeyRingError } from './key-ring';
export type { EncryptionKey } from './key-ring';
export { InvalidAddressError, normaliseAddress } from './normalise-address';
