/**
 * Issue 11.4: abi/IRollupVault.json (written by `npm run abi:export` from vaultAddressAbi) is the ABI of everything
 * at a vault's address: every function (core and admin), event and error, OpenZeppelin's errors included, so a
 * client decodes `ERC20InvalidReceiver` instead of printing `custom error 0xec442f05`.
 */
import { expect } from "chai";
import { Interface } from "ethers";
import hre from "hardhat";
import { abiSignature, vaultAddressAbi } from "../../scripts/lib/product";

type Entry = { type: string; name?: string; inputs?: { type: string }[] };

describe("the vault-address ABI (abi/IRollupVault.json)", function () {
  let abi: Entry[];
  before(async function () {
    abi = (await vaultAddressAbi(hre)) as Entry[];
  });

  it("holds every function, event and error of the interface, the implementation and its admin module", async function () {
    const have = new Set(abi.map(abiSignature));
    for (const name of ["IRollupVault", "RollupVault", "VaultAdmin"]) {
      for (const entry of (await hre.artifacts.readArtifact(name)).abi as Entry[]) {
        if (["constructor", "fallback", "receive"].includes(entry.type)) continue;
        expect(have.has(abiSignature(entry)), `${name}: ${abiSignature(entry)}`).to.equal(true);
      }
    }
    expect(abi.filter((e) => e.type === "constructor" || e.type === "fallback")).to.deep.equal([]);
    expect(new Set(abi.map(abiSignature)).size).to.equal(abi.length); // no duplicates
  });

  it("includes OpenZeppelin's ERC-20 and ERC-4626 errors the interface does not declare", async function () {
    const errors = abi.filter((e) => e.type === "error").map((e) => e.name);
    for (const name of [
      "ERC20InsufficientBalance",
      "ERC20InsufficientAllowance",
      "ERC20InvalidReceiver",
      "ERC4626ExceededMaxDeposit",
      "ERC4626ExceededMaxMint",
      "ERC4626ExceededMaxWithdraw",
      "ERC4626ExceededMaxRedeem",
      "ZeroAmount",
      "CapExceeded",
    ]) {
      expect(errors, name).to.include(name);
    }
    const iface = (await hre.artifacts.readArtifact("IRollupVault")).abi as Entry[];
    expect(iface.some((e) => e.name === "ERC20InvalidReceiver")).to.equal(false, "the gap this file fills");
  });

  it("decodes the selector a task used to print raw (0xec442f05: ERC20InvalidReceiver)", function () {
    const vault = new Interface(abi as never);
    const data = vault.encodeErrorResult("ERC20InvalidReceiver", [hre.ethers.ZeroAddress]);
    expect(data.slice(0, 10)).to.equal("0xec442f05");
    expect(vault.parseError(data)?.name).to.equal("ERC20InvalidReceiver");
  });
});
