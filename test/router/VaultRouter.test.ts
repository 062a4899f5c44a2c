import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, setBalance, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import {
  IRollupVault__factory,
  LyingOperatorVault__factory,
  MaliciousVault__factory,
  MockDaiPermitToken__factory,
  MockWETH__factory,
  PlainERC4626__factory,
  RedemptionQueue__factory,
  RollupVault__factory,
  VaultAdmin__factory,
  VaultRouter__factory,
  type IRollupVault,
} from "../../typechain-types";
import { deployVaultFixture, type VaultFixture } from "../helpers/fixtures";

/**
 * VaultRouter (issue 10 §1): ERC-5143-style bounds, multicall, self-permit, native ETH and async redeem requests.
 * After every test the router holds nothing (asset, WETH, shares, ether) and has no allowance left to any vault.
 */
async function routerFixture() {
  const f = await deployVaultFixture(6);
  const weth = await new MockWETH__factory(f.owner).deploy();
  const router = await new VaultRouter__factory(f.owner).deploy(await weth.getAddress());
  const admin = await new VaultAdmin__factory(f.owner).deploy();
  const core = await new RollupVault__factory(f.owner).deploy(
    await weth.getAddress(),
    "Rollup WETH",
    "rvWETH",
    f.owner.address,
    await admin.getAddress(),
  );
  const wethVault = IRollupVault__factory.connect(await core.getAddress(), f.owner);
  const queue = await new RedemptionQueue__factory(f.owner).deploy(await f.vault.getAddress());
  const routerAddress = await router.getAddress();
  for (const user of [f.alice, f.bob, f.attacker]) {
    await f.asset.connect(user).approve(routerAddress, ethers.MaxUint256);
  }
  return { ...f, weth, router, wethVault, queue };
}
type RouterFixture = VaultFixture & Awaited<ReturnType<typeof routerFixture>>;

async function sign2612(
  signer: HardhatEthersSigner,
  token: { getAddress(): Promise<string>; nonces(owner: string): Promise<bigint> } & {
    eip712Domain(): Promise<[string, string, string, bigint, string, string, bigint[]]>;
  },
  spender: string,
  value: bigint,
  deadline: bigint,
) {
  const [, name, version, chainId, verifyingContract] = await token.eip712Domain();
  const signature = await signer.signTypedData(
    { name, version, chainId, verifyingContract },
    {
      Permit: [
        { name: "owner", type: "address" },
        { name: "spender", type: "address" },
        { name: "value", type: "uint256" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    },
    { owner: signer.address, spender, value, nonce: await token.nonces(signer.address), deadline },
  );
  return ethers.Signature.from(signature);
}

describe("VaultRouter", function () {
  let current: RouterFixture | undefined;
  const load = async () => (current = (await loadFixture(routerFixture)) as RouterFixture);

  afterEach(async function () {
    const f = current;
    current = undefined;
    if (!f || this.currentTest?.state !== "passed") return;
    const router = await f.router.getAddress();
    expect(await ethers.provider.getBalance(router)).to.equal(0n, "router holds ether");
    for (const token of [f.asset, f.weth, f.vault, f.wethVault]) {
      expect(await token.balanceOf(router)).to.equal(0n, "router holds tokens");
    }
    for (const [token, spender] of [
      [f.asset, f.vault],
      [f.weth, f.wethVault],
      [f.vault, f.queue],
    ] as const) {
      expect(await token.allowance(router, await spender.getAddress())).to.equal(0n, "lingering allowance");
    }
  });

  async function sharesOf(f: RouterFixture, user: HardhatEthersSigner, assets: bigint, vault?: IRollupVault) {
    await f.router.connect(user).depositMin(vault ?? f.vault, assets, user.address, 0n);
    return (vault ?? f.vault).balanceOf(user.address);
  }

  describe("depositMin", function () {
    it("pulls from the caller, deposits for the receiver and emits RoutedDeposit", async function () {
      const f = await load();
      const assets = f.units(100);
      const shares = await f.vault.previewDeposit(assets);
      await expect(f.router.connect(f.alice).depositMin(f.vault, assets, f.bob.address, shares))
        .to.emit(f.router, "RoutedDeposit")
        .withArgs(f.alice.address, await f.vault.getAddress(), f.bob.address, assets, shares)
        .and.to.emit(f.vault, "Deposit")
        .withArgs(await f.router.getAddress(), f.bob.address, assets, shares);
      expect(await f.vault.balanceOf(f.bob.address)).to.equal(shares);
    });

    it("reverts with MinSharesNotMet when the vault mints fewer shares than asked", async function () {
      const f = await load();
      const assets = f.units(100);
      const shares = await f.vault.previewDeposit(assets);
      await expect(f.router.connect(f.alice).depositMin(f.vault, assets, f.alice.address, shares + 1n))
        .to.be.revertedWithCustomError(f.router, "MinSharesNotMet")
        .withArgs(shares, shares + 1n);
    });

    it("reverts with ZeroAmount on zero assets", async function () {
      const f = await load();
      await expect(
        f.router.connect(f.alice).depositMin(f.vault, 0n, f.alice.address, 0n),
      ).to.be.revertedWithCustomError(f.router, "ZeroAmount");
    });

    it("reverts with InvalidReceiver for the zero address and for the router itself", async function () {
      const f = await load();
      await expect(f.router.connect(f.alice).depositMin(f.vault, 1n, ethers.ZeroAddress, 0n))
        .to.be.revertedWithCustomError(f.router, "InvalidReceiver")
        .withArgs(ethers.ZeroAddress);
      await expect(f.router.connect(f.alice).depositMin(f.vault, 1n, await f.router.getAddress(), 0n))
        .to.be.revertedWithCustomError(f.router, "InvalidReceiver")
        .withArgs(await f.router.getAddress());
    });

    it("passes the vault's own revert through (deposit limit)", async function () {
      const f = await load();
      await f.vault.connect(f.curator).setDepositLimit(f.units(50));
      await expect(f.router.connect(f.alice).depositMin(f.vault, f.units(100), f.alice.address, 0n)).to.be.reverted;
    });

    it("reverts with UnspentValue when ether comes with a call that does not spend it", async function () {
      const f = await load();
      await expect(f.router.connect(f.alice).depositMin(f.vault, f.units(1), f.alice.address, 0n, { value: 5n }))
        .to.be.revertedWithCustomError(f.router, "UnspentValue")
        .withArgs(5n);
    });
  });

  // Issue 10 §1 (gas bar <= 1.25x): ERC-7540's operator model applied to deposits. A holder who made the router her
  // operator on a suite vault deposits without custody: the vault pulls from her, the router holds and approves nothing.
  describe("depositMin, vault operator path (no custody)", function () {
    async function operatorFixture() {
      const f = await load();
      await f.vault.connect(f.alice).setOperator(f.router, true);
      // No allowance to the router at all: only the vault's own allowance (from the fixture) can pay.
      await f.asset.connect(f.alice).approve(f.router, 0n);
      return f;
    }

    it("the vault pulls from the caller (Deposit names her, not the router) and the router emits RoutedDeposit", async function () {
      const f = await operatorFixture();
      const assets = f.units(100);
      const shares = await f.vault.previewDeposit(assets);
      const before = await f.asset.balanceOf(f.alice);
      expect(await f.router.connect(f.alice).depositMin.staticCall(f.vault, assets, f.bob.address, shares)).to.equal(
        shares,
      );
      await expect(f.router.connect(f.alice).depositMin(f.vault, assets, f.bob.address, shares))
        .to.emit(f.router, "RoutedDeposit")
        .withArgs(f.alice.address, await f.vault.getAddress(), f.bob.address, assets, shares)
        .and.to.emit(f.vault, "Deposit")
        .withArgs(f.alice.address, f.bob.address, assets, shares);
      expect(await f.vault.balanceOf(f.bob.address)).to.equal(shares);
      expect(before - (await f.asset.balanceOf(f.alice))).to.equal(assets);
      expect(await f.asset.allowance(f.router, f.vault)).to.equal(0n);
    });

    it("reverts MinSharesNotMet below the bound; nothing moves", async function () {
      const f = await operatorFixture();
      const assets = f.units(100);
      const shares = await f.vault.previewDeposit(assets);
      const before = await f.asset.balanceOf(f.alice);
      await expect(f.router.connect(f.alice).depositMin(f.vault, assets, f.alice.address, shares + 1n))
        .to.be.revertedWithCustomError(f.router, "MinSharesNotMet")
        .withArgs(shares, shares + 1n);
      expect(await f.asset.balanceOf(f.alice)).to.equal(before);
      expect(await f.vault.totalSupply()).to.equal(0n);
    });

    it("a caller cannot name another owner: Bob's call pulls Bob's assets even though Alice approved the router", async function () {
      const f = await operatorFixture();
      const [aliceBefore, bobBefore] = [await f.asset.balanceOf(f.alice), await f.asset.balanceOf(f.bob)];
      // Bob did not make the router his operator: custody path, through the allowance Bob gave the router.
      await expect(f.router.connect(f.bob).depositMin(f.vault, f.units(10), f.bob.address, 0n))
        .to.emit(f.vault, "Deposit")
        .withArgs(await f.router.getAddress(), f.bob.address, f.units(10), await f.vault.previewDeposit(f.units(10)));
      expect(await f.asset.balanceOf(f.alice)).to.equal(aliceBefore);
      expect(bobBefore - (await f.asset.balanceOf(f.bob))).to.equal(f.units(10));
    });

    it("after a revoke the router falls back to custody (here refused: Alice gave the router no allowance)", async function () {
      const f = await operatorFixture();
      await f.vault.connect(f.alice).setOperator(f.router, false);
      await expect(f.router.connect(f.alice).depositMin(f.vault, f.units(10), f.alice.address, 0n))
        .to.be.revertedWithCustomError(f.asset, "ERC20InsufficientAllowance")
        .withArgs(await f.router.getAddress(), 0n, f.units(10));
    });

    it("keeps the router's own checks: ZeroAmount, InvalidReceiver", async function () {
      const f = await operatorFixture();
      await expect(
        f.router.connect(f.alice).depositMin(f.vault, 0n, f.alice.address, 0n),
      ).to.be.revertedWithCustomError(f.router, "ZeroAmount");
      await expect(f.router.connect(f.alice).depositMin(f.vault, 1n, ethers.ZeroAddress, 0n))
        .to.be.revertedWithCustomError(f.router, "InvalidReceiver")
        .withArgs(ethers.ZeroAddress);
    });

    it("works inside a multicall (the caller stays msg.sender of the delegatecalled action)", async function () {
      const f = await operatorFixture();
      const assets = f.units(4);
      const shares = await f.vault.previewDeposit(assets);
      await expect(
        f.router
          .connect(f.alice)
          .multicall([
            f.router.interface.encodeFunctionData("depositMin", [
              await f.vault.getAddress(),
              assets,
              f.carol.address,
              1n,
            ]),
          ]),
      )
        .to.emit(f.vault, "Deposit")
        .withArgs(f.alice.address, f.carol.address, assets, shares);
    });

    it("mintMax: the vault pulls the mint's cost from the caller; MaxAssetsExceeded above the bound", async function () {
      const f = await operatorFixture();
      const shares = await f.vault.previewDeposit(f.units(20));
      const cost = await f.vault.previewMint(shares);
      const before = await f.asset.balanceOf(f.alice);
      await expect(f.router.connect(f.alice).mintMax(f.vault, shares, f.bob.address, cost - 1n))
        .to.be.revertedWithCustomError(f.router, "MaxAssetsExceeded")
        .withArgs(cost, cost - 1n);
      await expect(f.router.connect(f.alice).mintMax(f.vault, shares, f.bob.address, cost))
        .to.emit(f.router, "RoutedDeposit")
        .withArgs(f.alice.address, await f.vault.getAddress(), f.bob.address, cost, shares)
        .and.to.emit(f.vault, "Deposit")
        .withArgs(f.alice.address, f.bob.address, cost, shares);
      expect(before - (await f.asset.balanceOf(f.alice))).to.equal(cost);
      expect(await f.vault.balanceOf(f.bob.address)).to.equal(shares);
    });

    it("a vault that lies `isOperator` true gets no custody: it cannot take the caller's or anyone's router approval", async function () {
      const f = await load();
      const liar = await new LyingOperatorVault__factory(f.attacker).deploy(await f.asset.getAddress());
      await liar.configure(0, f.bob.address, 5n); // Answer.True; Bob approved the router without limit
      const [aliceBefore, bobBefore] = [await f.asset.balanceOf(f.alice), await f.asset.balanceOf(f.bob)];
      await expect(f.router.connect(f.alice).depositMin(liar, f.units(10), f.alice.address, 6n))
        .to.be.revertedWithCustomError(f.router, "MinSharesNotMet")
        .withArgs(5n, 6n);
      await f.router.connect(f.alice).depositMin(liar, f.units(10), f.alice.address, 5n);
      expect(await liar.depositMinFromCalled()).to.equal(true);
      expect(await liar.theftSucceeded()).to.equal(false);
      expect(await f.asset.balanceOf(f.alice)).to.equal(aliceBefore);
      expect(await f.asset.balanceOf(f.bob)).to.equal(bobBefore);
      expect(await f.asset.balanceOf(liar)).to.equal(0n);
    });

    for (const [answer, name] of [
      [1, "a word other than an ABI true"],
      [2, "a short return"],
      [3, "a revert"],
      [4, "burning its gas (capped)"],
    ] as const) {
      it(`an isOperator answered with ${name} counts as no: custody path`, async function () {
        const f = await load();
        const odd = await new LyingOperatorVault__factory(f.attacker).deploy(await f.asset.getAddress());
        await odd.configure(answer, ethers.ZeroAddress, 7n);
        const before = await f.asset.balanceOf(f.alice);
        await expect(f.router.connect(f.alice).depositMin(odd, f.units(10), f.alice.address, 7n))
          .to.emit(f.router, "RoutedDeposit")
          .withArgs(f.alice.address, await odd.getAddress(), f.alice.address, f.units(10), 7n);
        expect(await odd.depositMinFromCalled()).to.equal(false);
        expect(before - (await f.asset.balanceOf(f.alice))).to.equal(f.units(10));
        expect(await f.asset.balanceOf(odd)).to.equal(f.units(10));
        expect(await f.asset.allowance(f.router, odd)).to.equal(0n);
      });
    }

    it("a vault without isOperator (plain OpenZeppelin ERC-4626) takes the custody path", async function () {
      const f = await load();
      const plain = await new PlainERC4626__factory(f.owner).deploy(await f.asset.getAddress());
      const assets = f.units(10);
      const shares = await plain.previewDeposit(assets);
      await expect(f.router.connect(f.alice).depositMin(plain, assets, f.alice.address, shares))
        .to.emit(plain, "Deposit")
        .withArgs(await f.router.getAddress(), f.alice.address, assets, shares);
      expect(await plain.balanceOf(f.alice.address)).to.equal(shares);
      expect(await f.asset.allowance(f.router, plain)).to.equal(0n);
      expect(await f.asset.balanceOf(f.router)).to.equal(0n);
    });
  });

  describe("mintMax", function () {
    it("mints exactly the shares for what they cost", async function () {
      const f = await load();
      const shares = ethers.parseUnits("10", 18);
      const cost = await f.vault.previewMint(shares);
      const before = await f.asset.balanceOf(f.alice.address);
      await expect(f.router.connect(f.alice).mintMax(f.vault, shares, f.alice.address, cost))
        .to.emit(f.router, "RoutedDeposit")
        .withArgs(f.alice.address, await f.vault.getAddress(), f.alice.address, cost, shares);
      expect(before - (await f.asset.balanceOf(f.alice.address))).to.equal(cost);
      expect(await f.vault.balanceOf(f.alice.address)).to.equal(shares);
    });

    it("reverts with MaxAssetsExceeded when the shares cost more than the bound", async function () {
      const f = await load();
      const shares = ethers.parseUnits("10", 18);
      const cost = await f.vault.previewMint(shares);
      await expect(f.router.connect(f.alice).mintMax(f.vault, shares, f.alice.address, cost - 1n))
        .to.be.revertedWithCustomError(f.router, "MaxAssetsExceeded")
        .withArgs(cost, cost - 1n);
    });

    it("reverts with ZeroAmount on zero shares", async function () {
      const f = await load();
      await expect(f.router.connect(f.alice).mintMax(f.vault, 0n, f.alice.address, 1n)).to.be.revertedWithCustomError(
        f.router,
        "ZeroAmount",
      );
    });
  });

  describe("withdrawMax, redeemMin, redeemWithMaxLoss", function () {
    it("withdrawMax burns the caller's shares through its share allowance and pays the receiver", async function () {
      const f = await load();
      const shares = await sharesOf(f, f.alice, f.units(100));
      await f.vault.connect(f.alice).approve(await f.router.getAddress(), shares);
      const burn = await f.vault.previewWithdraw(f.units(40));
      const before = await f.asset.balanceOf(f.bob.address);
      await expect(f.router.connect(f.alice).withdrawMax(f.vault, f.units(40), f.bob.address, burn))
        .to.emit(f.router, "RoutedWithdraw")
        .withArgs(f.alice.address, await f.vault.getAddress(), f.bob.address, f.units(40), burn);
      expect((await f.asset.balanceOf(f.bob.address)) - before).to.equal(f.units(40));
      expect(await f.vault.balanceOf(f.alice.address)).to.equal(shares - burn);
    });

    it("withdrawMax reverts with MaxSharesExceeded above the bound", async function () {
      const f = await load();
      await sharesOf(f, f.alice, f.units(100));
      await f.vault.connect(f.alice).approve(await f.router.getAddress(), ethers.MaxUint256);
      const burn = await f.vault.previewWithdraw(f.units(40));
      await expect(f.router.connect(f.alice).withdrawMax(f.vault, f.units(40), f.alice.address, burn - 1n))
        .to.be.revertedWithCustomError(f.router, "MaxSharesExceeded")
        .withArgs(burn, burn - 1n);
    });

    it("withdrawMax cannot burn shares of anyone but the caller", async function () {
      const f = await load();
      await sharesOf(f, f.alice, f.units(100));
      await f.vault.connect(f.alice).approve(await f.router.getAddress(), ethers.MaxUint256);
      // The attacker has no shares: the vault burns from the caller (the attacker), never from alice.
      await expect(f.router.connect(f.attacker).withdrawMax(f.vault, f.units(1), f.attacker.address, ethers.MaxUint256))
        .to.be.reverted;
      expect(await f.vault.maxWithdraw(f.alice.address)).to.equal(f.units(100));
    });

    it("redeemMin pays the receiver and reverts with MinAssetsNotMet below the bound", async function () {
      const f = await load();
      const shares = await sharesOf(f, f.alice, f.units(100));
      await f.vault.connect(f.alice).approve(await f.router.getAddress(), shares);
      const half = shares / 2n;
      const out = await f.vault.previewRedeem(half);
      await expect(f.router.connect(f.alice).redeemMin(f.vault, half, f.alice.address, out + 1n))
        .to.be.revertedWithCustomError(f.router, "MinAssetsNotMet")
        .withArgs(out, out + 1n);
      await expect(f.router.connect(f.alice).redeemMin(f.vault, half, f.alice.address, out))
        .to.emit(f.router, "RoutedWithdraw")
        .withArgs(f.alice.address, await f.vault.getAddress(), f.alice.address, out, half);
    });

    it("redeemWithMaxLoss passes the loss bound to the vault and bounds what the receiver gets", async function () {
      const f = await load();
      const shares = await sharesOf(f, f.alice, f.units(100));
      await f.vault.connect(f.allocator).allocate(await f.adapter.getAddress(), f.units(80));
      await f.target.simulateLoss(f.units(8)); // the adapter is 10% down, unrealised
      await f.vault.connect(f.alice).approve(await f.router.getAddress(), shares);
      const part = await f.vault.convertToShares(f.units(60));
      // The vault's own bound: 1 bp is below the loss the withdrawer would bear.
      await expect(
        f.router.connect(f.alice).redeemWithMaxLoss(f.vault, part, f.alice.address, 1, 0n),
      ).to.be.revertedWithCustomError(f.vault, "MaxLossExceeded");
      // The visible loss is priced at once (issue 8.1): the shares are worth their fair 60 (less rounding), and the
      // loss they bear against their book value (8%) is within a 10% bound. The router's floor on what arrives:
      const out = await f.vault.previewRedeem(part);
      expect(out).to.be.within(f.units(60) - 2n, f.units(60));
      await expect(f.router.connect(f.alice).redeemWithMaxLoss(f.vault, part, f.alice.address, 1_000, out + 1n))
        .to.be.revertedWithCustomError(f.router, "MinAssetsNotMet")
        .withArgs(out, out + 1n);
      const before = await f.asset.balanceOf(f.alice.address);
      await f.router.connect(f.alice).redeemWithMaxLoss(f.vault, part, f.alice.address, 1_000, out);
      expect((await f.asset.balanceOf(f.alice.address)) - before).to.equal(out);
    });
  });

  describe("native ETH", function () {
    it("depositETH wraps msg.value and deposits it into the WETH vault", async function () {
      const f = await load();
      const value = ethers.parseEther("2");
      const shares = await f.wethVault.previewDeposit(value);
      await expect(f.router.connect(f.alice).depositETH(f.wethVault, f.bob.address, shares, { value }))
        .to.emit(f.router, "RoutedDeposit")
        .withArgs(f.alice.address, await f.wethVault.getAddress(), f.bob.address, value, shares);
      expect(await f.wethVault.balanceOf(f.bob.address)).to.equal(shares);
      expect(await f.weth.balanceOf(await f.wethVault.getAddress())).to.equal(value);
    });

    it("depositETH reverts with NotWethVault for a vault over another asset", async function () {
      const f = await load();
      await expect(f.router.connect(f.alice).depositETH(f.vault, f.alice.address, 0n, { value: 1n }))
        .to.be.revertedWithCustomError(f.router, "NotWethVault")
        .withArgs(await f.vault.getAddress(), await f.asset.getAddress());
    });

    it("depositETH reverts with ZeroAmount without ether and with MinSharesNotMet below the bound", async function () {
      const f = await load();
      await expect(
        f.router.connect(f.alice).depositETH(f.wethVault, f.alice.address, 0n),
      ).to.be.revertedWithCustomError(f.router, "ZeroAmount");
      const shares = await f.wethVault.previewDeposit(1000n);
      await expect(f.router.connect(f.alice).depositETH(f.wethVault, f.alice.address, shares + 1n, { value: 1000n }))
        .to.be.revertedWithCustomError(f.router, "MinSharesNotMet")
        .withArgs(shares, shares + 1n);
    });

    it("plain ether transfers to the router are refused", async function () {
      const f = await load();
      await expect(f.alice.sendTransaction({ to: await f.router.getAddress(), value: 1n })).to.be.reverted;
    });
  });

  describe("multicall", function () {
    it("msg.value cannot be spent twice in one batch (MsgValueAlreadySpent)", async function () {
      const f = await load();
      const call = f.router.interface.encodeFunctionData("depositETH", [
        await f.wethVault.getAddress(),
        f.attacker.address,
        0n,
      ]);
      // Ether forced into the router (selfdestruct): without the guard a second spend of msg.value would take it.
      const router = await f.router.getAddress();
      await setBalance(router, ethers.parseEther("1"));
      await expect(
        f.router.connect(f.attacker).multicall([call, call], { value: ethers.parseEther("1") }),
      ).to.be.revertedWithCustomError(f.router, "MsgValueAlreadySpent");
      await setBalance(router, 0n);
    });

    it("a batch that carries ether and spends none reverts with UnspentValue", async function () {
      const f = await load();
      const call = f.router.interface.encodeFunctionData("depositMin", [
        await f.vault.getAddress(),
        f.units(1),
        f.alice.address,
        0n,
      ]);
      await expect(f.router.connect(f.alice).multicall([call], { value: 7n }))
        .to.be.revertedWithCustomError(f.router, "UnspentValue")
        .withArgs(7n);
    });

    it("combines an ETH deposit and an asset deposit in one transaction", async function () {
      const f = await load();
      const value = ethers.parseEther("1");
      await f.router
        .connect(f.alice)
        .multicall(
          [
            f.router.interface.encodeFunctionData("depositETH", [await f.wethVault.getAddress(), f.alice.address, 1n]),
            f.router.interface.encodeFunctionData("depositMin", [
              await f.vault.getAddress(),
              f.units(5),
              f.alice.address,
              1n,
            ]),
          ],
          { value },
        );
      expect(await f.wethVault.balanceOf(f.alice.address)).to.be.gt(0n);
      expect(await f.vault.balanceOf(f.alice.address)).to.be.gt(0n);
    });

    it("refuses a nested multicall (NestedMulticall) and bubbles a failing call's reason", async function () {
      const f = await load();
      const inner = f.router.interface.encodeFunctionData("multicall", [[]]);
      await expect(f.router.connect(f.alice).multicall([inner])).to.be.revertedWithCustomError(
        f.router,
        "NestedMulticall",
      );
      const zero = f.router.interface.encodeFunctionData("depositMin", [
        await f.vault.getAddress(),
        0n,
        f.alice.address,
        0n,
      ]);
      await expect(f.router.connect(f.alice).multicall([zero])).to.be.revertedWithCustomError(f.router, "ZeroAmount");
    });
  });

  describe("self-permit", function () {
    it("permit + depositMin in one transaction, without a prior approval", async function () {
      const f = await load();
      const router = await f.router.getAddress();
      await f.asset.connect(f.carol).approve(router, 0n);
      const deadline = BigInt(await time.latest()) + 3600n;
      const { v, r, s } = await sign2612(f.carol, f.asset, router, f.units(10), deadline);
      await f.router
        .connect(f.carol)
        .multicall([
          f.router.interface.encodeFunctionData("selfPermit", [
            await f.asset.getAddress(),
            f.units(10),
            deadline,
            v,
            r,
            s,
          ]),
          f.router.interface.encodeFunctionData("depositMin", [
            await f.vault.getAddress(),
            f.units(10),
            f.carol.address,
            1n,
          ]),
        ]);
      expect(await f.vault.maxWithdraw(f.carol.address)).to.equal(f.units(10));
    });

    it("a permit front-run with the same signature does not make the call fail", async function () {
      const f = await load();
      const router = await f.router.getAddress();
      const deadline = BigInt(await time.latest()) + 3600n;
      const { v, r, s } = await sign2612(f.carol, f.asset, router, f.units(10), deadline);
      // The attacker sees the transaction in the mempool and submits the permit first.
      await f.asset.connect(f.attacker).permit(f.carol.address, router, f.units(10), deadline, v, r, s);
      await f.router
        .connect(f.carol)
        .multicall([
          f.router.interface.encodeFunctionData("selfPermit", [
            await f.asset.getAddress(),
            f.units(10),
            deadline,
            v,
            r,
            s,
          ]),
          f.router.interface.encodeFunctionData("depositMin", [
            await f.vault.getAddress(),
            f.units(10),
            f.carol.address,
            1n,
          ]),
        ]);
      expect(await f.vault.maxWithdraw(f.carol.address)).to.equal(f.units(10));
    });

    it("reverts with PermitFailed when the permit fails and the allowance is not there", async function () {
      const f = await load();
      const router = await f.router.getAddress();
      const deadline = BigInt(await time.latest()) + 3600n;
      const { v, r, s } = await sign2612(f.carol, f.asset, router, f.units(10), deadline);
      // Signed for 10, claimed for 11: the signature does not match.
      await expect(f.router.connect(f.carol).selfPermit(await f.asset.getAddress(), f.units(11), deadline, v, r, s))
        .to.be.revertedWithCustomError(f.router, "PermitFailed")
        .withArgs(await f.asset.getAddress(), 0n, f.units(11));
    });

    it("permits the vault's shares and redeems them in one transaction", async function () {
      const f = await load();
      const shares = await sharesOf(f, f.alice, f.units(100));
      const router = await f.router.getAddress();
      const deadline = BigInt(await time.latest()) + 3600n;
      const withDomain = RollupVault__factory.connect(await f.vault.getAddress(), f.alice);
      const { v, r, s } = await sign2612(f.alice, withDomain, router, shares, deadline);
      const before = await f.asset.balanceOf(f.alice.address);
      await f.router
        .connect(f.alice)
        .multicall([
          f.router.interface.encodeFunctionData("selfPermit", [await f.vault.getAddress(), shares, deadline, v, r, s]),
          f.router.interface.encodeFunctionData("redeemMin", [
            await f.vault.getAddress(),
            shares,
            f.alice.address,
            f.units(100),
          ]),
        ]);
      expect((await f.asset.balanceOf(f.alice.address)) - before).to.equal(f.units(100));
    });

    describe("DAI-style permit", function () {
      async function daiSetup(f: RouterFixture) {
        const dai = await new MockDaiPermitToken__factory(f.owner).deploy();
        await dai.mint(f.carol.address, ethers.parseEther("100"));
        const router = await f.router.getAddress();
        const { chainId } = await ethers.provider.getNetwork();
        const expiry = BigInt(await time.latest()) + 3600n;
        const signature = await f.carol.signTypedData(
          { name: "Dai Stablecoin", version: "1", chainId, verifyingContract: await dai.getAddress() },
          {
            Permit: [
              { name: "holder", type: "address" },
              { name: "spender", type: "address" },
              { name: "nonce", type: "uint256" },
              { name: "expiry", type: "uint256" },
              { name: "allowed", type: "bool" },
            ],
          },
          { holder: f.carol.address, spender: router, nonce: 0n, expiry, allowed: true },
        );
        const admin = await new VaultAdmin__factory(f.owner).deploy();
        const core = await new RollupVault__factory(f.owner).deploy(
          await dai.getAddress(),
          "Rollup DAI",
          "rvDAI",
          f.owner.address,
          await admin.getAddress(),
        );
        return { dai, router, expiry, sig: ethers.Signature.from(signature), daiVault: core };
      }

      it("selfPermitAllowed + depositMin in one transaction", async function () {
        const f = await load();
        const { dai, expiry, sig, daiVault } = await daiSetup(f);
        const permit = f.router.interface.encodeFunctionData("selfPermitAllowed", [
          await dai.getAddress(),
          0n,
          expiry,
          sig.v,
          sig.r,
          sig.s,
        ]);
        const deposit = f.router.interface.encodeFunctionData("depositMin", [
          await daiVault.getAddress(),
          ethers.parseEther("40"),
          f.carol.address,
          1n,
        ]);
        await f.router.connect(f.carol).multicall([permit, deposit]);
        expect(await daiVault.maxWithdraw(f.carol.address)).to.equal(ethers.parseEther("40"));
        expect(await dai.balanceOf(await f.router.getAddress())).to.equal(0n);
        expect(await dai.allowance(await f.router.getAddress(), await daiVault.getAddress())).to.equal(0n);
        // Front-run (already used) permit: the call goes on because the unlimited allowance is there.
        await f.router.connect(f.carol).multicall([permit, deposit]);
        expect(await daiVault.maxWithdraw(f.carol.address)).to.equal(ethers.parseEther("80"));
      });

      it("reverts with PermitFailed when the DAI permit fails and no unlimited allowance is there", async function () {
        const f = await load();
        const { dai, expiry, sig } = await daiSetup(f);
        await expect(
          f.router.connect(f.carol).selfPermitAllowed(await dai.getAddress(), 1n, expiry, sig.v, sig.r, sig.s),
        )
          .to.be.revertedWithCustomError(f.router, "PermitFailed")
          .withArgs(await dai.getAddress(), 0n, ethers.MaxUint256);
      });
    });
  });

  describe("requestRedeem (asynchronous exit through the RedemptionQueue)", function () {
    it("moves the caller's shares into the controller's aggregated request (ERC-7540 requestId 0)", async function () {
      const f = await load();
      const shares = await sharesOf(f, f.alice, f.units(100));
      await f.vault.connect(f.alice).approve(await f.router.getAddress(), shares);
      const half = shares / 2n;
      // The windowed queue aggregates requests per controller: every request has id 0.
      await expect(f.router.connect(f.alice).requestRedeem(f.queue, half, f.bob.address))
        .to.emit(f.router, "RoutedRedeemRequest")
        .withArgs(f.alice.address, await f.queue.getAddress(), f.bob.address, 0n, half)
        .and.to.emit(f.queue, "RedeemRequest")
        .withArgs(f.bob.address, await f.router.getAddress(), 0n, await f.router.getAddress(), half);
      expect(await f.router.connect(f.alice).requestRedeem.staticCall(f.queue, shares - half, f.bob.address)).to.equal(
        0n,
      );
      await f.router.connect(f.alice).requestRedeem(f.queue, shares - half, f.bob.address);
      expect(await f.queue.pendingRedeemRequest(0n, f.bob.address)).to.equal(shares);
      expect(await f.queue.pendingRedeemRequest(0n, f.alice.address)).to.equal(0n);
      expect(await f.vault.balanceOf(await f.queue.getAddress())).to.equal(shares);
      expect(await f.vault.balanceOf(await f.router.getAddress())).to.equal(0n);
      // Neither the router nor the caller can cancel it: the controller can, and gets the shares back.
      await expect(f.queue.connect(f.alice).cancelRedeemRequest(shares, f.bob.address))
        .to.be.revertedWithCustomError(f.queue, "NotOwnerOrOperator")
        .withArgs(f.alice.address, f.bob.address);
      await f.queue.connect(f.bob).cancelRedeemRequest(shares, f.bob.address);
      expect(await f.queue.pendingRedeemRequest(0n, f.bob.address)).to.equal(0n);
      expect(await f.vault.balanceOf(f.bob.address)).to.equal(shares);
    });

    it("reverts with InvalidReceiver for a zero controller and ZeroAmount for zero shares", async function () {
      const f = await load();
      await expect(f.router.connect(f.alice).requestRedeem(f.queue, 1n, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(f.router, "InvalidReceiver")
        .withArgs(ethers.ZeroAddress);
      await expect(f.router.connect(f.alice).requestRedeem(f.queue, 0n, f.alice.address)).to.be.revertedWithCustomError(
        f.router,
        "ZeroAmount",
      );
    });
  });

  describe("a malicious vault", function () {
    it("takes at most what the caller approved for that call; the rest goes back to the caller", async function () {
      const f = await load();
      const evil = await new MaliciousVault__factory(f.attacker).deploy(await f.asset.getAddress());
      // Alice approved the router without limit; the fake vault tries to take her tokens and to overdraw.
      await evil.configure(5_000, 10n ** 30n, f.alice.address);
      const before = await f.asset.balanceOf(f.bob.address);
      await f.router.connect(f.bob).depositMin(evil, f.units(10), f.bob.address, 0n);
      expect(await evil.overdrawSucceeded()).to.equal(false);
      expect(await evil.reentrySucceeded()).to.equal(false);
      // It took half of Bob's 10 (what Bob sent it); the other half is back with Bob; Alice lost nothing.
      expect(before - (await f.asset.balanceOf(f.bob.address))).to.equal(f.units(5));
      expect(await f.asset.balanceOf(f.alice.address)).to.equal(f.units(1_000_000));
      const router = await f.router.getAddress();
      expect(await f.asset.allowance(router, await evil.getAddress())).to.equal(0n);
      expect(await f.asset.balanceOf(router)).to.equal(0n);
    });

    // Branch coverage (gas brief, item 3): every entry point that calls out is behind the router's guard.
    for (const [name, args] of [
      ["depositMin", (f: RouterFixture, evil: string) => [evil, 1n, f.bob.address, 0n]],
      ["depositETH", (f: RouterFixture) => [f.wethVault.target, f.bob.address, 0n]],
      ["mintMax", (f: RouterFixture, evil: string) => [evil, 1n, f.bob.address, ethers.MaxUint256]],
      ["withdrawMax", (f: RouterFixture, evil: string) => [evil, 1n, f.bob.address, ethers.MaxUint256]],
      ["redeemMin", (f: RouterFixture, evil: string) => [evil, 1n, f.bob.address, 0n]],
      ["redeemWithMaxLoss", (f: RouterFixture, evil: string) => [evil, 1n, f.bob.address, 0n, 0n]],
      ["requestRedeem", (f: RouterFixture) => [f.queue.target, 1n, f.bob.address]],
    ] as const) {
      it(`cannot re-enter ${name} from inside a deposit (ReentrancyGuardReentrantCall)`, async function () {
        const f = await load();
        const evil = await new MaliciousVault__factory(f.attacker).deploy(await f.asset.getAddress());
        const evilAddress = await evil.getAddress();
        await evil.setReenter(f.router.interface.encodeFunctionData(name as never, args(f, evilAddress) as never));
        const before = await f.asset.balanceOf(f.bob.address);
        await f.router.connect(f.bob).depositMin(evil, f.units(10), f.bob.address, 0n);
        expect(await evil.reentrySucceeded()).to.equal(false);
        expect(await evil.reentryError()).to.equal(
          f.router.interface.getError("ReentrancyGuardReentrantCall")!.selector,
        );
        // The fake vault took what Bob sent it, nothing more; the router keeps nothing.
        expect(before - (await f.asset.balanceOf(f.bob.address))).to.equal(f.units(10));
        expect(await f.asset.allowance(await f.router.getAddress(), evilAddress)).to.equal(0n);
      });
    }

    it("mintMax reverts MaxAssetsExceeded when the vault's mint takes more than the bound", async function () {
      const f = await load();
      const evil = await new MaliciousVault__factory(f.attacker).deploy(await f.asset.getAddress());
      await evil.setMintReturn(f.units(10) + 1n);
      await expect(f.router.connect(f.bob).mintMax(evil, f.units(10), f.bob.address, f.units(10)))
        .to.be.revertedWithCustomError(f.router, "MaxAssetsExceeded")
        .withArgs(f.units(10) + 1n, f.units(10));
    });

    it("cannot pass a lying share count through the bound on exits", async function () {
      const f = await load();
      const evil = await new MaliciousVault__factory(f.attacker).deploy(await f.asset.getAddress());
      await evil.configure(0, 5n, ethers.ZeroAddress);
      await expect(f.router.connect(f.bob).redeemMin(evil, 1n, f.bob.address, 6n))
        .to.be.revertedWithCustomError(f.router, "MinAssetsNotMet")
        .withArgs(5n, 6n);
      await expect(f.router.connect(f.bob).withdrawMax(evil, 1n, f.bob.address, 4n))
        .to.be.revertedWithCustomError(f.router, "MaxSharesExceeded")
        .withArgs(5n, 4n);
    });
  });
});
