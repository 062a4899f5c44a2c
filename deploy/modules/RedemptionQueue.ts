import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { memoByPrefix } from "./parts";
import { vaultModule } from "./Vault";

/**
 * The vault's RedemptionQueue (ERC-7540 asynchronous exits for when liquidity is locked, settled pro rata by daily
 * windows), set as the vault's queue so that liquidity released for it is reserved and its liveness rights work.
 * Holders approve it for their shares and request; anyone settles. Module id `<prefix>RedemptionQueue`.
 *
 * Parameters: none.
 */
export const redemptionQueueModule = memoByPrefix((prefix) =>
  buildModule(`${prefix}RedemptionQueue`, (m) => {
    const { vault, core } = m.useModule(vaultModule(prefix));
    const queue = m.contract("RedemptionQueue", [core]);
    m.call(vault, "setRedemptionQueue", [queue], { id: "setRedemptionQueue" });
    return { queue };
  }),
);

/** The main (USDC) vault's. */
export default redemptionQueueModule("");
