/** Whether this process serves the HTTP interactions endpoint: both of its settings, or neither. */
import { ConfigError, type Config } from '../../config.ts';

export interface InteractionsSettings {
  publicKey: string;
  port: number;
  host: string;
}

/** The endpoint's settings when both are set, undefined when neither is; one without the other is a configuration error. */
export function interactionsSettings(config: Config): InteractionsSettings | undefined {
  const { DISCORD_PUBLIC_KEY: publicKey, INTERACTIONS_PORT: port, INTERACTIONS_HOST: host } = config;
  if (publicKey === undefined && port === undefined) return undefined;
  if (publicKey === undefined) throw new ConfigError(['DISCORD_PUBLIC_KEY: required with INTERACTIONS_PORT (General Information → Public Key in the developer portal)']);
  if (port === undefined) throw new ConfigError(['INTERACTIONS_PORT: required with DISCORD_PUBLIC_KEY (the port POST /interactions is served on)']);
  return { publicKey, port, host };
}
