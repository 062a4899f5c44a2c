import { OP_SEPOLIA, OP_STACK_WETH } from "./addresses";
import { testSupportSuite } from "./parts";
import { stargateDeployment } from "./stargateDeployments";
import { defineNetwork } from "./types";

const stargate = stargateDeployment(OP_SEPOLIA)!;
const rehearsal = testSupportSuite("1000000");

/**
 * OP Sepolia (11155420), for rehearsals. The USDC vault runs over Stargate V2's REAL testnet deployment, read at run time from
 * Stargate's npm package (deployments/optsep-testnet): its USDC pool and StargateStaking, with the pool's own test USDC as
 * the vault's asset (never a mock of Stargate). WETH is the OP Stack predeploy.
 * No ERC-4626 target over that USDC is in the book: give one in ERC4626_TARGET_OP_SEPOLIA. The STG and vote-escrow
 * vaults, which have no real program here, run over the TEST-SUPPORT protocols (open-mint tokens). Roles default
 * to the deployer.
 */
export default defineNetwork({
  network: "opSepolia",
  chainId: 11155420,
  kind: "testnet",
  rpc: { env: "OP_SEPOLIA_RPC_URL" },
  ...rehearsal,
  vault: {
    ...rehearsal.vault,
    asset: { kind: "real", address: stargate.usdc },
    name: "Rollup Vault USDC (Stargate test)",
  },
  erc4626Adapter: {
    ...rehearsal.erc4626Adapter,
    target: {
      kind: "fromEnv",
      env: "ERC4626_TARGET_OP_SEPOLIA",
      why: "no ERC-4626 target over Stargate's test USDC is in the address book",
    },
  },
  stargate: {
    ...rehearsal.stargate,
    pool: { kind: "real", address: stargate.poolUSDC },
    staking: { kind: "real", address: stargate.staking },
    weth: { kind: "real", address: OP_STACK_WETH },
  },
});
