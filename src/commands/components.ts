/**
 * Every command's buttons, menus and modals, and the custom_ids that carry
 * their state: "fn<version>:<key>:<state>", at most 100 characters. A key
 * Footnote knows with another version is stale (made before an upgrade);
 * anything else that does not decode is forged or damaged.
 */
import type { ReplyAction } from '../reply/reply.ts';
import type { Command, CommandContext, Component } from './types.ts';

/** Discord's limit on a custom_id. */
export const CUSTOM_ID_MAX = 100;

const CUSTOM_ID = /^fn(\d{1,4}):([a-z0-9]{1,8}):([\s\S]*)$/;
const KEY = /^[a-z0-9]{1,8}$/;

export type Decoded = { ok: true; component: Component; action: ReplyAction } | { ok: false; reason: 'stale' | 'forged' };

export class ComponentRegistry {
  private readonly byKey = new Map<string, Component>();
  private readonly byKind = new Map<string, Component>();

  /** Checks that keys and kinds are unique across commands, so a click always finds its one handler. */
  constructor(commands: readonly Command[]) {
    for (const command of commands) {
      for (const component of command.components ?? []) {
        const where = `command "${command.definition.name}", component "${component.kind}"`;
        if (!KEY.test(component.key)) throw new Error(`${where}: key "${component.key}" must be 1–8 lowercase letters or digits`);
        if (!Number.isInteger(component.version) || component.version < 1) throw new Error(`${where}: version must be a whole number from 1`);
        if (this.byKey.has(component.key)) throw new Error(`${where}: key "${component.key}" is already used`);
        if (this.byKind.has(component.kind)) throw new Error(`${where}: kind "${component.kind}" is already served`);
        this.byKey.set(component.key, component);
        this.byKind.set(component.kind, component);
      }
    }
  }

  /** The component serving an action kind. */
  forAction(action: ReplyAction): Component | undefined {
    return this.byKind.get(action.kind);
  }

  /** The custom_id for an action, or undefined when no component serves it or it does not fit. */
  encode(action: ReplyAction): string | undefined {
    const component = this.byKind.get(action.kind);
    const state = component?.encode(action);
    if (component === undefined || state === undefined) return undefined;
    const id = `fn${component.version}:${component.key}:${state}`;
    return id.length <= CUSTOM_ID_MAX ? id : undefined;
  }

  /** The action to offer as a component: the action itself, or its component's fallback when it does not fit. */
  resolve(action: ReplyAction, context: CommandContext): { action: ReplyAction; customId: string; component: Component } | undefined {
    const direct = this.encode(action);
    const component = this.byKind.get(action.kind);
    if (component === undefined) return undefined;
    if (direct !== undefined) return { action, customId: direct, component };
    const fallback = component.fallback?.(action, context);
    const fallbackId = fallback === undefined ? undefined : this.encode(fallback);
    const fallbackComponent = fallback === undefined ? undefined : this.byKind.get(fallback.kind);
    return fallback && fallbackId && fallbackComponent ? { action: fallback, customId: fallbackId, component: fallbackComponent } : undefined;
  }

  decode(customId: string): Decoded {
    if (customId.length > CUSTOM_ID_MAX) return { ok: false, reason: 'forged' };
    const match = CUSTOM_ID.exec(customId);
    const component = match ? this.byKey.get(match[2] as string) : undefined;
    if (!match || !component) return { ok: false, reason: 'forged' };
    if (Number(match[1]) !== component.version) return { ok: false, reason: 'stale' };
    const action = component.decode(match[3] as string);
    if (action === undefined || action.kind !== component.kind) return { ok: false, reason: 'forged' };
    return { ok: true, component, action };
  }
}

/** What a user is told about a button, menu or modal that cannot be served. */
export function invalidComponentText(reason: 'stale' | 'forged'): string {
  return reason === 'stale'
    ? 'This button is out of date: an earlier version of Footnote made it. Ask again to get fresh buttons.'
    : 'This button is out of date or was not made by Footnote, so it does nothing. Ask again with /ask to get fresh buttons.';
}

/** Thrown by a component handler whose state no longer matches the data (a paragraph that is gone): answered like a forged id. */
export class StaleComponentError extends Error {
  constructor() {
    super('the component state no longer matches the data');
    this.name = 'StaleComponentError';
  }
}
