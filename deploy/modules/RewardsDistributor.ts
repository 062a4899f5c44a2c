import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { memoByPrefix } from "./parts";
import { vaultModule } from "./Vault";

/**
 * The vault's RewardsDistributor (streams harvested reward tokens to share holders over `rewardPeriod`), set as the
 * vault's distributor. Routes (a reward token deposited into another suite vault, whose shares stream instead) are
 * set by the vault's Suite, which knows the other vaults. Module id `<prefix>RewardsDistributor`.
 *
 * Parameters: rewardPeriod (seconds).
 */
export const rewardsDistributorModule = memoByPrefix((prefix) =>
  buildModule(`${prefix}RewardsDistributor`, (m) => {
    const { vault, core } = m.useModule(vaultModule(prefix));
    const distributor = m.contract("RewardsDistributor", [core, m.getParameter<bigint>("rewardPeriod")]);
    m.call(vault, "setRewardsDistributor", [distributor], { id: "setRewardsDistributor" });
    return { distributor };
  }),
);

/** The main (USDC) vault's. */
export default rewardsDistributorModule("");
