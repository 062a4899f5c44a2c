import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { memoByPrefix } from "./parts";
import { vaultModule } from "./Vault";

/**
 * A StakingAdapter: the vault's asset staked in a Synthetix StakingRewards program, or, when `hasCooldown`, in an
 * Aave cooldown staking token shaped like the deployed stkAAVE (v1.5) (the adapter checks the mode against the program). Rewards paid in the asset stay in the adapter and
 * reach the share price through `report`; others go to the distributor on harvest. Module id
 * `<prefix>StakingAdapter`.
 *
 * Parameters: staking (address), hasCooldown (bool), absoluteCap (bigint, asset units), relativeCapBps.
 */
export const stakingAdapterModule = memoByPrefix((prefix) =>
  buildModule(`${prefix}StakingAdapter`, (m) => {
    const { vault, core } = m.useModule(vaultModule(prefix));
    const adapter = m.contract("StakingAdapter", [
      core,
      m.getParameter<string>("staking"),
      m.getParameter<boolean>("hasCooldown"),
    ]);
    m.call(
      vault,
      "addAdapter",
      [adapter, m.getParameter<bigint>("absoluteCap"), m.getParameter<number>("relativeCapBps", 10_000)],
      { id: "addAdapter" },
    );
    return { adapter };
  }),
);

/** The STG vault's (deploy/modules/Suite.ts VAULTS.stg). */
export default stakingAdapterModule("Stg");
