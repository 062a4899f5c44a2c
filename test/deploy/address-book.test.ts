import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ethers } from "ethers";
import { ADDRESSES, ARBITRUM, BASE, HAND_WRITTEN, OPTIMISM } from "../../deploy/config/addresses";
import {
  STARGATE_NETWORKS,
  stargateDeployment,
  stargatePackageAddresses,
} from "../../deploy/config/stargateDeployments";

const CONFIG_DIR = path.resolve(__dirname, "..", "..", "deploy", "config");
const PACKAGE = path.resolve(__dirname, "..", "..", "node_modules", "@stargatefinance", "stg-evm-v2", "deployments");

/** Every 0x-address literal typed in deploy/config/*.ts, lower-case, with the file it is in. */
function handWrittenLiterals(): Array<{ address: string; file: string }> {
  return readdirSync(CONFIG_DIR)
    .filter((file) => file.endsWith(".ts"))
    .flatMap((file) =>
      [...readFileSync(path.join(CONFIG_DIR, file), "utf8").matchAll(/0x[0-9a-fA-F]{40}\b/g)].map((m) => ({
        address: m[0].toLowerCase(),
        file,
      })),
    );
}

/** issue 12.4: the address book takes Stargate from Stargate's own deployment records, never from a hand. */
describe("Address book against Stargate's package (stg-evm-v2 deployments)", function () {
  it("reads every Stargate address and the pools' USDC of each mainnet from the package at run time", function () {
    for (const chainId of [OPTIMISM, BASE, ARBITRUM]) {
      const network = STARGATE_NETWORKS[chainId];
      const record = (name: string) =>
        JSON.parse(readFileSync(path.join(PACKAGE, network, `${name}.json`), "utf8")) as {
          address: string;
          args: unknown[];
        };
      const book = ADDRESSES[chainId];
      expect(book.stargate.poolUSDC).to.equal(ethers.getAddress(record("StargatePoolUSDC").address));
      expect(book.stargate.poolNative).to.equal(ethers.getAddress(record("StargatePoolNative").address));
      expect(book.stargate.staking).to.equal(ethers.getAddress(record("StargateStaking").address));
      expect(book.stargate.multiRewarder).to.equal(ethers.getAddress(record("StargateMultiRewarder").address));
      expect(book.usdc).to.equal(ethers.getAddress(String(record("StargatePoolUSDC").args[2])));
    }
    // Optimism and Arbitrum have a USDT pool, Base has none.
    expect(ADDRESSES[OPTIMISM].stargate.poolUSDT).to.not.equal(undefined);
    expect(ADDRESSES[BASE].stargate.poolUSDT).to.equal(undefined);
  });

  it("finds each MultiRewarder built for the staking the book pairs it with", function () {
    for (const chainId of Object.keys(STARGATE_NETWORKS).map(Number)) {
      const deployment = stargateDeployment(chainId)!;
      expect(deployment.multiRewarderStaking, `chain ${chainId}`).to.equal(deployment.staking);
    }
  });

  it("has the OP Sepolia and Arbitrum Sepolia deployments the testnet configs use", function () {
    for (const chainId of [11155420, 421614]) {
      const deployment = stargateDeployment(chainId);
      expect(deployment, `chain ${chainId}`).to.not.equal(undefined);
      expect(deployment!.usdc).to.match(/^0x[0-9a-fA-F]{40}$/);
    }
  });

  it("types no Stargate address by hand anywhere in deploy/config", function () {
    const stargateAddresses = new Map<string, string>();
    for (const chainId of Object.keys(STARGATE_NETWORKS).map(Number)) {
      for (const [address, what] of stargatePackageAddresses(chainId)) {
        // The pools' tokens (USDC, USDT) are recorded as constructor args; WETH-like predeploys are not there.
        stargateAddresses.set(address, `${STARGATE_NETWORKS[chainId]} ${what}`);
      }
    }
    const overlaps = handWrittenLiterals().filter(({ address }) => stargateAddresses.has(address));
    expect(
      overlaps.map(({ address, file }) => `${file}: ${address} is ${stargateAddresses.get(address)}`),
      "take these from the package (deploy/config/stargateDeployments.ts) instead",
    ).to.deep.equal([]);
  });

  it("checks every hand-written address against the package where they overlap: none is a Stargate contract", function () {
    // What remains typed by hand (WETH, STG, OP, ARB, Velodrome/Aerodrome) must not collide with any address the
    // package records on the same chain: a hand-written token that were in fact a pool or a messaging contract
    // there would be a typo of the worst kind.
    for (const [chainId, hand] of Object.entries(HAND_WRITTEN).map(([id, h]) => [Number(id), h] as const)) {
      const known = stargatePackageAddresses(chainId);
      const walk = (value: unknown): string[] =>
        value === undefined ? [] : typeof value === "string" ? [value] : Object.values(value as object).flatMap(walk);
      for (const address of walk(hand)) {
        expect(known.get(address.toLowerCase()), `${address} on chain ${chainId}`).to.equal(undefined);
      }
    }
    // And the one overlap the book used to type by hand, Circle's USDC, is the package's USDC pool token.
    expect(ADDRESSES[OPTIMISM].usdc).to.equal("0x0b2C639c533813f4Aa9D7837CAf62653d097Ff85");
    expect(ADDRESSES[BASE].usdc).to.equal("0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913");
    expect(ADDRESSES[ARBITRUM].usdc).to.equal("0xaf88d065e77c8cC2239327C5EDb3A432268e5831");
  });
});
