import { Module } from '@nestjs/common';
import type { MasterKey } from '../../libs/crypto/index.js';
import { CaseViews } from '../cases/case-views.reader.js';
import { IdentityModule } from '../identity/identity.module.js';
import { MASTER_KEY } from '../platform/persistence.module.js';
import { deriveKey } from '../platform/secrets.js';
import { ReceiptSigner } from './receipt-signer.js';
import { JwksController, ReceiptsController } from './receipts.controller.js';
import { ReceiptsService } from './receipts.service.js';

/** Signed consent receipts (Kantara v1.1.0 as JWS), their printable text, and the public key at /.well-known/jwks.json. */
@Module({
  imports: [IdentityModule],
  controllers: [ReceiptsController, JwksController],
  providers: [
    ReceiptsService,
    CaseViews,
    // Derived, not stored: every instance with the same master key signs with the same key.
    {
      provide: ReceiptSigner,
      inject: [MASTER_KEY],
      useFactory: (masterKey: MasterKey) => ReceiptSigner.fromSeed(deriveKey(masterKey, 'consent-receipt-signing')),
    },
  ],
  exports: [ReceiptsService],
})
export class ReceiptsModule {}
