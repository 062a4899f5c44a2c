import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { memoByPrefix } from "./parts";
import { vaultModule } from "./Vault";

/**
 * The vault's RedemptionQueue (ERC-7540 asynchronous exits for when liquidity is locked). It needs no call on the
 * vault: holders approve it for their shares and request; anyone fulfils. Module id `<prefix>RedemptionQueue`.
 *
 * Parameters: none.
 */
export const redemptionQueueModule = memoByPrefix((prefix) =>
  buildModule(`${prefix}RedemptionQueue`, (m) => {
    const { core } = m.useModule(vaultModule(prefix));
    const queue = m.contract("RedemptionQueue", [core]);
    return { queue };
  }),
);

/** The main (USDC) vault's. */
export default redemptionQueueModule("");
