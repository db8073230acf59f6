import { render } from 'preact';
import { App } from './app';
import { handOverProviderAnswer } from './oidc';

// The identity provider's window coming back hands its answer to the page that opened it, and shows nothing.
if (!handOverProviderAnswer()) render(<App />, document.getElementById('app')!);
