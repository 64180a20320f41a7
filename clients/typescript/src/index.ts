// The package's entry point: the generated operations and types, and the client they use.
export * from './gen/index.js';
export { client } from './gen/client.gen.js';
export { createClient, createConfig } from './gen/client/index.js';
export type { Client, Config } from './gen/client/index.js';
