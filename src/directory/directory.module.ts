import { Global, Module } from '@nestjs/common';
import { DEMO_NETWORK_EXTENSION } from '../identity/demo-network.js';
import { IdentityModule } from '../identity/identity.module.js';
import { DemoDirectory } from './demo-directory.js';
import { DirectoryController, HsdsController } from './directory.controller.js';
import { Directory } from './directory.js';
import { HsdsExchange } from './hsds-exchange.js';
import { SERVICE_DIRECTORY } from './service-directory.port.js';
import { SqlDirectory } from './sql-directory.js';

/**
 * The service directory (Open Referral HSDS 3.0): agency profiles, services, locations, HSDS export
 * and import. Global, so any module can inject SERVICE_DIRECTORY; it also seeds the demo network's
 * directory with the demo network.
 */
@Global()
@Module({
  imports: [IdentityModule],
  controllers: [DirectoryController, HsdsController],
  providers: [
    SqlDirectory,
    Directory,
    HsdsExchange,
    DemoDirectory,
    { provide: SERVICE_DIRECTORY, useExisting: SqlDirectory },
    { provide: DEMO_NETWORK_EXTENSION, useExisting: DemoDirectory },
  ],
  exports: [SERVICE_DIRECTORY, DEMO_NETWORK_EXTENSION],
})
export class DirectoryModule {}
