import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { memoByPrefix } from "./parts";
import { vaultModule } from "./Vault";

/**
 * A VoteEscrowAdapter: the vault's VELO/AERO locked in one veNFT (permanent, or a four-year lock kept at its
 * maximum), voted by the allocators; rebases reach the share price through `report`, fees and incentives go to
 * the distributor on harvest. Module id `<prefix>VoteEscrowAdapter`.
 *
 * Parameters: escrow, voter, rebaseDistributor (addresses), permanent (bool), absoluteCap (bigint), relativeCapBps.
 */
export const voteEscrowAdapterModule = memoByPrefix((prefix) =>
  buildModule(`${prefix}VoteEscrowAdapter`, (m) => {
    const { vault, core } = m.useModule(vaultModule(prefix));
    const adapter = m.contract("VoteEscrowAdapter", [
      core,
      m.getParameter<string>("escrow"),
      m.getParameter<string>("voter"),
      m.getParameter<string>("rebaseDistributor"),
      m.getParameter<boolean>("permanent", false),
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

/** The vote-escrow vault's (deploy/modules/Suite.ts VAULTS.ve). */
export default voteEscrowAdapterModule("Ve");
