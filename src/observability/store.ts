/**
 * Store errors for the metrics, without touching any store: the store is
 * wrapped so that every failed call of its parts (notes, counters, …) is
 * counted by reason, then passes on unchanged to the command that handles it.
 * Parts added to the Store later are counted too.
 */
import { StoreWriteError, type Store } from '../store/types.ts';
import type { StoreErrorReason } from './metrics.ts';

type OnError = (reason: StoreErrorReason) => void;
type OnSuccess = () => void;

function reasonOf(error: unknown): StoreErrorReason {
  return error instanceof StoreWriteError ? error.reason : 'unexpected';
}

/** The same object, whose methods report a throw or a rejection before passing it on. */
function counting<T extends object>(part: T, onError: OnError, onSuccess: OnSuccess): T {
  return new Proxy(part, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        try {
          const result: unknown = value.apply(target, args);
          if (!(result instanceof Promise)) return result;
          return result.then(
            (value: unknown) => {
              onSuccess();
              return value;
            },
            (error: unknown) => {
              onError(reasonOf(error));
              throw error;
            },
          );
        } catch (error) {
          onError(reasonOf(error));
          throw error;
        }
      };
    },
  });
}

export function observedStore(store: Store, report: OnError, reached: OnSuccess = () => undefined): Store {
  const parts = new Map<PropertyKey, object>();
  return new Proxy(store, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value === 'function') return value.bind(target);
      if (typeof value !== 'object' || value === null) return value;
      let part = parts.get(key);
      if (!part) {
        part = counting(value, report, reached);
        parts.set(key, part);
      }
      return part;
    },
  });
}

/** "sqlite:/data/footnote.db" → "sqlite": the kind of store, for /healthz (never its path). */
export function storeKind(store: Store): string {
  return store.description.split(':')[0] ?? store.description;
}
