import type { Application } from 'express';

/** Just what is read of an Express router layer: a route's methods and the layer's own path matcher (untyped in @types/express). */
interface RouterLayer {
  readonly route?: { readonly methods: Readonly<Record<string, boolean>> };
  match(path: string): unknown;
}

/**
 * The methods the application's registered routes take at `path`, read from the router itself (the
 * one source: whatever a controller declares, Express routes), HEAD included wherever GET is, as
 * Express answers it. Empty when no route matches the path.
 */
export function allowedMethods(app: Application, path: string): string[] {
  const methods = new Set<string>();
  for (const layer of app.router.stack as unknown as readonly RouterLayer[]) {
    if (!layer.route || !layer.match(path)) continue;
    for (const [method, taken] of Object.entries(layer.route.methods)) if (taken && method !== '_all') methods.add(method.toUpperCase());
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}
