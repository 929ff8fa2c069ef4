import { Global, Logger, Module } from '@nestjs/common';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { AddressCipher } from './address-cipher';
import { BlindIndex } from './blind-index';
import { KeyRing } from './key-ring';

/** KeyRing (from configuration), AddressCipher and BlindIndex, for the whole application. */
@Global()
@Module({
  providers: [
    { provide: KeyRing, inject: [CONFIG], useFactory: (config: Config) => KeyRing.fromConfig(config, new Logger('KeyRing')) },
    { provide: AddressCipher, inject: [KeyRing], useFactory: (keys: KeyRing) => new AddressCipher(keys) },
    { provide: BlindIndex, inject: [KeyRing], useFactory: (keys: KeyRing) => new BlindIndex(keys) },
  ],
  exports: [KeyRing, AddressCipher, BlindIndex],
})
export class CryptoModule {}
