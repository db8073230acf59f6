import { useEffect, useState } from 'preact/hooks';

/**
 * Screens live in the URL's fragment (#/cases/…): the service serves only `/`, so no screen path
 * can collide with an API path, and a bookmark or the back button still works.
 */
export function useRoute(): string {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const follow = () => setRoute(current());
    window.addEventListener('hashchange', follow);
    // The address may have changed between the render and this subscription (a link followed the
    // moment the screens appeared after sign-in): without this, that change would go unseen.
    follow();
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  return route;
}

const current = () => window.location.hash.replace(/^#/, '') || '/';

export const go = (path: string): void => {
  window.location.hash = path;
};
