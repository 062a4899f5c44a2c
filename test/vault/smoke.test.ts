import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deploy6 } from "../helpers/fixtures";

describe("RollupVault smoke", function () {
  it("deposits, allocates and withdraws through the adapter", async function () {
    const { vault, alice, allocator, adapter, units, asset } = await loadFixture(deploy6);
    await vault.connect(alice).deposit(units(100), alice.address);
    await vault.connect(allocator).allocate(await adapter.getAddress(), units(60));
    expect(await vault.totalIdle()).to.equal(units(40));
    expect(await vault.maxWithdraw(alice.address)).to.equal(units(100));
    const before = await asset.balanceOf(alice.address);
    await vault.connect(alice).withdraw(units(100), alice.address, alice.address);
    expect((await asset.balanceOf(alice.address)) - before).to.equal(units(100));
    expect(await vault.totalAssets()).to.equal(0n);
  });
});
