/**
 * The pipeline's services, built one way for every transport (the gateway bot
 * and the HTTP interactions endpoint): the test fault hook read from the
 * environment, the cooldown (in the store when it is shared), the metrics.
 */
import type { App } from '../../app.ts';
import type { Config } from '../../config.ts';
import type { Logger } from '../../log.ts';
import type { EventObserver } from '../../observability/events.ts';
import type { Cooldown } from './cooldown.ts';
import { faultsFrom } from './faults.ts';
import type { Intake } from './intake.ts';
import type { PipelineServices } from './pipeline.ts';
import { pipelineCooldown } from './shared-state.ts';

export interface WiringOptions {
  logger: Logger;
  /** Where FOOTNOTE_FAULTS is read; process.env by default. */
  env?: NodeJS.ProcessEnv;
  metrics?: EventObserver;
  intake?: Intake;
  cooldown?: Cooldown;
}

export function pipelineServices(config: Pick<Config, 'DATABASE_URL'>, app: App, options: WiringOptions): PipelineServices {
  const { logger } = options;
  const faults = faultsFrom((options.env ?? process.env).FOOTNOTE_FAULTS);
  if (faults) logger.warn('FOOTNOTE_FAULTS is set: fault injection for tests is active');
  return {
    app,
    logger,
    // In the store when DATABASE_URL is set, so every worker enforces one limit per user.
    cooldown: options.cooldown ?? pipelineCooldown(config, app.context.store, logger),
    ...(options.intake ? { intake: options.intake } : {}),
    ...(faults ? { faults } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
  };
}
