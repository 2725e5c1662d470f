/**
 * State that workers share when DATABASE_URL points them at one Postgres: the
 * per-user cooldown and the conversation context. The pipeline reads both
 * synchronously (`cooldown.take`, `conversations.recall`), so a transport
 * calls `prepareInteraction` / `prepareMessage` before routing an event: they
 * take the shared cooldown token and load the asker's last exchange, and give
 * back the services to route that event with. With nothing shared they give
 * the services back unchanged, at no cost.
 */
import { MessageType, type APIInteraction, type GatewayMessageCreateDispatchData, ApplicationCommandType, InteractionType } from 'discord.js';
import type { Config } from '../../config.ts';
import { conversationKey, StoreConversations } from '../../conversation/memory.ts';
import type { Invoker } from '../../commands/types.ts';
import type { Logger } from '../../log.ts';
import type { Store } from '../../store/types.ts';
import { Cooldown, decidedCooldown, SharedCooldown, StoreCooldown, quickKey } from './cooldown.ts';
import { interactionInvoker, messageInvoker } from './invoker.ts';
import type { PipelineServices } from './pipeline.ts';
import { warnNowAndThen } from '../../log.ts';

/**
 * How long an event waits for the shared store before this process's own
 * state decides: far above a healthy answer (about a millisecond), well
 * within the deferral watchdog's 1 s.
 */
const SHARED_TIMEOUT_MS = 500;
const slowLoadWarnings = new WeakMap<Logger, (error: unknown) => void>();


/** The pipeline's cooldown: in the store when it is shared (DATABASE_URL), in this process otherwise. */
export function pipelineCooldown(config: Pick<Config, 'DATABASE_URL'>, store: Store, logger: Logger): Cooldown {
  if (config.DATABASE_URL === undefined) return new Cooldown();
  const shared = new StoreCooldown(store.rateLimits, { onPruneError: warnNowAndThen(logger, 'could not prune the shared cooldowns') });
  return new SharedCooldown(shared, SHARED_TIMEOUT_MS, warnNowAndThen(logger, 'the shared cooldown did not answer; this process’s own limit applies meanwhile'));
}

/** Not waited for past the timeout: the exchange known here is used, and the load lands for the next question. */
async function loadConversation(services: PipelineServices, conversations: StoreConversations, invoker: Invoker, now: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), SHARED_TIMEOUT_MS);
  });
  const outcome = await Promise.race([conversations.load(conversationKey(invoker), now), late]);
  clearTimeout(timer);
  if (outcome === 'late') {
    let warn = slowLoadWarnings.get(services.logger);
    if (!warn) slowLoadWarnings.set(services.logger, (warn = warnNowAndThen(services.logger, 'the shared conversation context did not answer in time; answered without it')));
    warn(new Error(`no answer within ${SHARED_TIMEOUT_MS} ms`));
  }
}

async function prepare(services: PipelineServices, invoker: Invoker, cooldownKey = invoker.userId): Promise<PipelineServices> {
  const { cooldown } = services;
  const { conversations, clock } = services.app.context;
  const [verdict] = await Promise.all([
    cooldown instanceof SharedCooldown ? cooldown.decide(cooldownKey) : undefined,
    conversations instanceof StoreConversations ? loadConversation(services, conversations, invoker, clock.now()) : undefined,
  ]);
  return verdict === undefined ? services : { ...services, cooldown: decidedCooldown(verdict) };
}

function sharesState(services: PipelineServices): boolean {
  return services.cooldown instanceof SharedCooldown || services.app.context.conversations instanceof StoreConversations;
}

/** The interactions the pipeline runs a command for, and so counts against the cooldown (not pings or autocomplete). */
function runsCommand(raw: APIInteraction): boolean {
  if (raw.type === InteractionType.MessageComponent || raw.type === InteractionType.ModalSubmit) return true;
  return raw.type === InteractionType.ApplicationCommand && (raw.data.type === ApplicationCommandType.ChatInput || raw.data.type === ApplicationCommandType.Message);
}

/** The services to route one interaction with. Never throws: without the store, this process's state decides. */
export async function prepareInteraction(services: PipelineServices, raw: APIInteraction): Promise<PipelineServices> {
  if (!sharesState(services) || !runsCommand(raw)) return services;
  const invoker = interactionInvoker(raw);
  // A quick click is counted under its own key, as the pipeline will (interactions.ts).
  const decoded = raw.type === InteractionType.MessageComponent ? services.app.components.decode(raw.data.custom_id) : undefined;
  return prepare(services, invoker, decoded?.ok === true && decoded.component.quick === true ? quickKey(invoker.userId) : invoker.userId);
}

const ANSWERED_TYPES: ReadonlySet<number> = new Set([MessageType.Default, MessageType.Reply]);

/** The messages the pipeline answers (messages.ts): a person's DM, or a server message that names the bot. */
function addressesBot(raw: GatewayMessageCreateDispatchData, botId: string): boolean {
  if (raw.author.bot || raw.webhook_id !== undefined || !ANSWERED_TYPES.has(raw.type)) return false;
  return raw.guild_id === undefined || raw.mentions.some((user) => user.id === botId) || new RegExp(`<@!?${botId}>`).test(raw.content);
}

/** The services to route one chat message with; a message the bot does not answer takes no token. */
export async function prepareMessage(services: PipelineServices, raw: GatewayMessageCreateDispatchData, botId: string): Promise<PipelineServices> {
  if (!sharesState(services) || !addressesBot(raw, botId)) return services;
  return prepare(services, messageInvoker(raw));
}
