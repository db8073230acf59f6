import { useEffect, useRef } from 'preact/hooks';
import { useWords } from '../i18n';
import { OVERSIGHT } from '../messages/oversight';

/**
 * A secret the service shows once (an initial password, an API key): kept only in this screen's
 * memory until the user hides it or leaves the screen, never stored, never shown again. A labelled
 * region, not a live one, so a screen reader does not read the secret aloud unasked (overheard on a
 * shared device); focus moves to it so the user finds it.
 */
export function ShownOnce({ label, secret, onHide }: { label: string; secret: string; onHide: () => void }) {
  const words = useWords(OVERSIGHT);
  const region = useRef<HTMLElement>(null);
  useEffect(() => region.current?.focus(), []);
  return (
    <section class="once" aria-label={label} role="region" tabIndex={-1} ref={region}>
      <p>
        <strong>{label}</strong>
      </p>
      <p>
        <code data-secret>{secret}</code>
      </p>
      <p>{words.showOnce}</p>
      <button type="button" onClick={onHide}>
        {words.hide}
      </button>
    </section>
  );
}
