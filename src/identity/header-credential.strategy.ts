import type { Request } from 'express';
import passport from 'passport';
import type { Principal } from './principal.js';

type Verify = (credential: string, done: (error: unknown, principal?: Principal | false) => void) => void;
type Created = passport.StrategyCreated<passport.Strategy>;

/**
 * A passport strategy for a credential in the Authorization header. `extract` picks out the
 * credential this strategy handles; a request it does not handle fails here and is left to the
 * other strategies of the guard.
 */
export abstract class HeaderCredentialStrategy extends passport.Strategy {
  constructor(private readonly verify: Verify) {
    super();
  }

  protected abstract extract(authorization: string): string | undefined;

  override authenticate(req: Request): void {
    const self = this as unknown as Created;
    const credential = this.extract(req.headers.authorization ?? '');
    if (!credential) {
      self.fail(401);
      return;
    }
    this.verify(credential, (error, principal) => (error ? self.error(error) : principal ? self.success(principal) : self.fail(401)));
  }
}
