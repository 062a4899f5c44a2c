/**
 * The suite deployed through the same Ignition modules inside a Hardhat runtime (the in-process network, or a
 * fork of a node): the fixture of the task tests, the demo and the fork tests. Takes `hre` rather than importing
 * "hardhat", so the tasks (loaded by hardhat.config.ts) may use it too.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import {
  ERC4626Adapter__factory,
  IRollupVault__factory,
  MockERC20__factory,
  MockERC4626Target__factory,
  type ERC4626Adapter,
  type IRollupVault,
  type MockERC20,
  type MockERC4626Target,
} from "../typechain-types";
import {
  networkConfig,
  planSuite,
  toInProcessParameters,
  type NetworkConfig,
  type RolesConfig,
  type SuitePlan,
  type TestSupportAddresses,
} from "./config";
import SuiteModule from "./modules/Suite";
import TestSupportModule from "./modules/TestSupport";

export type InProcessSuite = {
  vault: IRollupVault;
  adapter: ERC4626Adapter;
  admin: string;
  asset: MockERC20;
  target: MockERC4626Target;
  /** The other test-support contracts (the 18-decimal asset and its target). */
  testSupport: Required<TestSupportAddresses>;
  plan: SuitePlan;
  deployer: string;
};

export type InProcessOptions = {
  /** The network config whose parameters to use (default: deploy/config/hardhat.ts). */
  config?: NetworkConfig;
  /** Role holders instead of the config's (unset roles fall back to the deployer). */
  roles?: RolesConfig;
};

/**
 * Deploys TestSupport, then the Suite over its 6-decimal asset and target, exactly as scripts/deploy.ts does on a
 * node: the test-support addresses stand in for the network's protocols.
 */
export async function deploySuiteInProcess(
  hre: HardhatRuntimeEnvironment,
  options: InProcessOptions = {},
): Promise<InProcessSuite> {
  const config = options.config ?? networkConfig("hardhat");
  const [signer] = await hre.ethers.getSigners();
  const ts = await hre.ignition.deploy(TestSupportModule);
  const testSupport = {
    Asset6: await ts.asset6.getAddress(),
    Asset18: await ts.asset18.getAddress(),
    Target6: await ts.target6.getAddress(),
    Target18: await ts.target18.getAddress(),
  };
  const plan = planSuite(config, signer.address, testSupport, options.roles);
  if (plan.handOver) throw new Error("In-process suites keep the deployer as owner: leave roles.owner unset.");
  const suite = await hre.ignition.deploy(SuiteModule, { parameters: toInProcessParameters(plan.parameters) });
  const vault = IRollupVault__factory.connect(await suite.vault.getAddress(), signer);
  const adapter = ERC4626Adapter__factory.connect(await suite.erc4626Adapter.getAddress(), signer);
  const asset = MockERC20__factory.connect(String(plan.parameters.Vault.asset), signer);
  const target = MockERC4626Target__factory.connect(String(plan.parameters.ERC4626Adapter.target), signer);
  return {
    vault,
    adapter,
    admin: await suite.admin.getAddress(),
    asset,
    target,
    testSupport,
    plan,
    deployer: signer.address,
  };
}
