/**
 * Forking the in-process Hardhat network from FORK_URL (a local anvil L2 node or a real rollup RPC), with the
 * Hardhat 2.29.1 hardfork-history fix.
 *
 * THE BUG. Hardhat 2.29.1 hands `networks.hardhat.chains[id].hardforkHistory` to its EDR engine under the key
 * `hardforks`, but EDR reads `hardforkActivationOverrides`. The history is dropped, EDR knows no hardfork for the
 * remote chain id, and every call at the fork block fails with "No known hardfork for execution on historical
 * block". THE FIX: wrap EDR's `createProvider` so the key is copied across before the provider is created. The
 * history itself is `cancun: 0` (the contracts are compiled for cancun; shanghai would make them revert).
 */
import path from "node:path";
import type { HardhatNetworkUserConfig } from "hardhat/types";

/** Chain ids the fork may come from: the local L2 node, the testnets and the mainnets of deploy/config. */
export const FORKABLE_CHAIN_IDS = [901, 10, 8453, 42161, 11155420, 84532, 421614];

type ChainOverride = { hardforks?: unknown; hardforkActivationOverrides?: unknown };
type ProviderConfig = { fork?: { chainOverrides?: ChainOverride[] } };
type EdrModule = {
  EdrContext: { prototype: { createProvider: (...args: unknown[]) => unknown; __hardforkFix?: boolean } };
};

/** Copies `hardforks` to `hardforkActivationOverrides` on every chain override Hardhat hands to EDR. Idempotent. */
export function applyHardforkHistoryFix(): void {
  // Resolve EDR from Hardhat's own location, so that the patched module is the instance Hardhat loads.
  const hardhatDir = path.dirname(require.resolve("hardhat/package.json"));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const edr = require(require.resolve("@nomicfoundation/edr", { paths: [hardhatDir] })) as EdrModule;
  const proto = edr.EdrContext.prototype;
  if (proto.__hardforkFix) return;
  const original = proto.createProvider;
  proto.createProvider = function (this: unknown, ...args: unknown[]) {
    const config = args[1] as ProviderConfig | undefined;
    for (const override of config?.fork?.chainOverrides ?? []) {
      if (override.hardforkActivationOverrides === undefined && override.hardforks !== undefined) {
        override.hardforkActivationOverrides = override.hardforks;
      }
    }
    return original.apply(this, args);
  };
  proto.__hardforkFix = true;
}

/**
 * The hardhat network config: forking FORK_URL at FORK_BLOCK (optional) when FORK_URL is set, with `cancun: 0` as
 * the hardfork history of every forkable chain id; the plain in-process network otherwise.
 */
export function hardhatNetworkConfig(): HardhatNetworkUserConfig {
  const url = process.env.FORK_URL;
  if (!url) return {};
  applyHardforkHistoryFix();
  const blockNumber = process.env.FORK_BLOCK ? Number(process.env.FORK_BLOCK) : undefined;
  const chains: HardhatNetworkUserConfig["chains"] = {};
  for (const id of FORKABLE_CHAIN_IDS) chains[id] = { hardforkHistory: { cancun: 0 } };
  return { forking: { url, blockNumber }, chains };
}
