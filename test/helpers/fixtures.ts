import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import {
  ERC4626Adapter__factory,
  IRollupVault__factory,
  MockERC20__factory,
  MockERC4626Target__factory,
  RollupVault__factory,
  VaultAdmin__factory,
  type ERC4626Adapter,
  type IRollupVault,
  type MockERC20,
  type MockERC4626Target,
} from "../../typechain-types";

export type Roles = {
  owner: HardhatEthersSigner;
  curator: HardhatEthersSigner;
  allocator: HardhatEthersSigner;
  guardian: HardhatEthersSigner;
  keeper: HardhatEthersSigner;
  feeRecipient: HardhatEthersSigner;
  alice: HardhatEthersSigner;
  bob: HardhatEthersSigner;
  carol: HardhatEthersSigner;
  attacker: HardhatEthersSigner;
};

export type VaultFixture = Roles & {
  asset: MockERC20;
  vault: IRollupVault;
  target: MockERC4626Target;
  adapter: ERC4626Adapter;
  decimals: number;
  /** `n` whole tokens of the asset. */
  units: (n: number | string) => bigint;
};

export async function getRoles(): Promise<Roles> {
  const [owner, curator, allocator, guardian, keeper, feeRecipient, alice, bob, carol, attacker] =
    await ethers.getSigners();
  return { owner, curator, allocator, guardian, keeper, feeRecipient, alice, bob, carol, attacker };
}

/** Deploys a vault (through its admin module) with every role appointed, timelock still zero. */
export async function deployVault(asset: MockERC20, roles: Roles): Promise<IRollupVault> {
  const admin = await new VaultAdmin__factory(roles.owner).deploy();
  const core = await new RollupVault__factory(roles.owner).deploy(
    await asset.getAddress(),
    "Rollup Vault",
    "rvTKN",
    roles.owner.address,
    await admin.getAddress(),
  );
  const vault = IRollupVault__factory.connect(await core.getAddress(), roles.owner);
  await vault.setCurator(roles.curator.address);
  await vault.setGuardian(roles.guardian.address);
  await vault.setAllocator(roles.allocator.address, true);
  await vault.setKeeper(roles.keeper.address, true);
  await vault.setFeeRecipient(roles.feeRecipient.address);
  await vault.setSkimRecipient(roles.owner.address);
  return vault;
}

/** A vault over a `decimals`-decimal asset with one ERC-4626 adapter (uncapped) and funded users. */
export async function deployVaultFixture(decimals: number): Promise<VaultFixture> {
  const roles = await getRoles();
  const asset = await new MockERC20__factory(roles.owner).deploy("Test Asset", "TKN", decimals);
  const vault = await deployVault(asset, roles);
  const target = await new MockERC4626Target__factory(roles.owner).deploy(await asset.getAddress());
  const adapter = await new ERC4626Adapter__factory(roles.owner).deploy(
    await vault.getAddress(),
    await target.getAddress(),
  );
  await vault.connect(roles.curator).addAdapter(await adapter.getAddress(), 2n ** 128n - 1n, 10_000);
  const units = (n: number | string) => ethers.parseUnits(n.toString(), decimals);
  for (const user of [roles.alice, roles.bob, roles.carol, roles.attacker]) {
    await asset.mint(user.address, units(1_000_000));
    await asset.connect(user).approve(await vault.getAddress(), ethers.MaxUint256);
  }
  return { ...roles, asset, vault, target, adapter, decimals, units };
}

export const deploy6 = () => deployVaultFixture(6);
export const deploy18 = () => deployVaultFixture(18);
