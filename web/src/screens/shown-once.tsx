import { useWords } from '../i18n';
import { OVERSIGHT } from '../messages/oversight';

/**
 * A secret the service shows once (an initial password, an API key): kept only in this screen's
 * memory until the user hides it or leaves the screen, never stored, never shown again.
 */
export function ShownOnce({ label, secret, onHide }: { label: string; secret: string; onHide: () => void }) {
  const words = useWords(OVERSIGHT);
  return (
    <section class="once" aria-label={label} role="status">
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
