import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The page's two static files, read once from `assets/` beside this module (nest-cli.json copies
 * them into dist). Only these names are served: a request can never name a path of its own.
 */
export const SIMULATOR_ASSETS = {
  'simulator.js': 'text/javascript; charset=utf-8',
  'simulator.css': 'text/css; charset=utf-8',
} as const;

export type SimulatorAssetName = keyof typeof SIMULATOR_ASSETS;

const cache = new Map<SimulatorAssetName, string>();

export function simulatorAsset(name: SimulatorAssetName): { body: string; type: string } {
  let body = cache.get(name);
  if (body === undefined) {
    body = readFileSync(join(__dirname, 'assets', name), 'utf8');
    cache.set(name, body);
  }
  return { body, type: SIMULATOR_ASSETS[name] };
}

export function isSimulatorAsset(name: string): name is SimulatorAssetName {
  return Object.prototype.hasOwnProperty.call(SIMULATOR_ASSETS, name);
}
