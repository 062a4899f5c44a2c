// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {Test} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {ERC4626Adapter} from "../../contracts/adapters/ERC4626Adapter.sol";
import {IRollupVault} from "../../contracts/interfaces/IRollupVault.sol";
import {MockERC20} from "../../contracts/test-support/MockERC20.sol";
import {MockERC4626Target} from "../../contracts/test-support/MockERC4626Target.sol";
import {MisbehavingAdapter} from "../../contracts/test-support/MisbehavingAdapter.sol";
import {RollupVault} from "../../contracts/vault/RollupVault.sol";
import {VaultAdmin} from "../../contracts/vault/VaultAdmin.sol";
import {VaultHandler} from "./handlers/VaultHandler.sol";

/// @title VaultInvariantsBase
/// @notice What must hold for a RollupVault after any sequence of deposits, mints, withdrawals, redemptions (plain
/// and loss-bearing), transfers, allocations, deallocations, queue changes, reports, time passing, profit-unlock
/// changes, a shutdown, donations, and gains, losses and liquidity squeezes in its two ERC-4626 targets.
/// Run by `npm run test:forge` (see foundry.toml for runs and depth).
/// @dev Setup: fees on (10% performance, 2% management, the fee recipient being one of the four holders), adapter 0
/// uncapped, adapter 1 capped at 50 million tokens and 60% of total assets, so that caps bind in long runs.
abstract contract VaultInvariantsBase is StdInvariant, Test {
    IRollupVault internal vault;
    MockERC20 internal asset;
    VaultHandler internal handler;

    function _decimals() internal pure virtual returns (uint8);

    function setUp() public {
        asset = new MockERC20("Test Asset", "TKN", _decimals());
        VaultAdmin admin = new VaultAdmin();
        vault = IRollupVault(
            address(new RollupVault(IERC20(address(asset)), "Rollup Vault", "rvTKN", address(this), address(admin)))
        );
        uint256 unit = 10 ** _decimals();

        MockERC4626Target[] memory targets = new MockERC4626Target[](2);
        ERC4626Adapter[] memory adapters = new ERC4626Adapter[](2);
        for (uint256 i; i < 2; ++i) {
            targets[i] = new MockERC4626Target(IERC20(address(asset)));
            adapters[i] = new ERC4626Adapter(address(vault), IERC4626(address(targets[i])));
        }
        vault.addAdapter(address(adapters[0]), type(uint128).max, 10_000);
        vault.addAdapter(address(adapters[1]), 50_000_000 * unit, 6_000);

        address[] memory holders = new address[](4);
        holders[0] = makeAddr("alice");
        holders[1] = makeAddr("bob");
        holders[2] = makeAddr("carol");
        holders[3] = makeAddr("feeRecipient");
        vault.setFeeRecipient(holders[3]);
        vault.setPerformanceFee(1_000);
        vault.setManagementFee(200);

        MisbehavingAdapter bad = new MisbehavingAdapter(address(vault));
        vault.addAdapter(address(bad), type(uint128).max, 5_000);
        handler = new VaultHandler(vault, asset, targets, adapters, holders, bad);
        vault.setAllocator(address(handler), true);
        vault.setKeeper(address(handler), true);
        vault.setCurator(address(handler));
        vault.setGuardian(address(handler));

        bytes4[] memory selectors = new bytes4[](23);
        selectors[0] = VaultHandler.deposit.selector;
        selectors[1] = VaultHandler.mint.selector;
        selectors[2] = VaultHandler.withdraw.selector;
        selectors[3] = VaultHandler.redeem.selector;
        selectors[4] = VaultHandler.withdrawWithMaxLoss.selector;
        selectors[5] = VaultHandler.redeemWithMaxLoss.selector;
        selectors[6] = VaultHandler.transfer.selector;
        selectors[7] = VaultHandler.allocate.selector;
        selectors[8] = VaultHandler.deallocate.selector;
        selectors[9] = VaultHandler.rotateWithdrawQueue.selector;
        selectors[10] = VaultHandler.report.selector;
        selectors[11] = VaultHandler.warp.selector;
        selectors[12] = VaultHandler.simulateGain.selector;
        selectors[13] = VaultHandler.simulateLoss.selector;
        selectors[14] = VaultHandler.setTargetLiquidity.selector;
        selectors[15] = VaultHandler.donateToVault.selector;
        selectors[16] = VaultHandler.setProfitUnlockTime.selector;
        selectors[17] = VaultHandler.shutdown.selector;
        selectors[18] = VaultHandler.allocateBad.selector;
        selectors[19] = VaultHandler.deallocateBad.selector;
        selectors[20] = VaultHandler.setBadMode.selector;
        selectors[21] = VaultHandler.badLoses.selector;
        selectors[22] = VaultHandler.realizeLoss.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    // ================================================================== (1) solvency

    /// @notice The books never promise more than the vault and its adapters really hold, once every unrealised loss
    /// is realised. (Before a keeper reports a loss the books knowingly run ahead of reality: that gap is what
    /// report exists to close, and plain exits skip such adapters meanwhile.) Checked in a snapshot in which the
    /// keeper reports each adapter carrying a loss; the snapshot is then dropped.
    function invariant_solvency() public {
        ERC4626Adapter[] memory adapters = handler.adapters();
        uint256 snapshot = vm.snapshotState();
        uint256 real = asset.balanceOf(address(vault));
        // The faulty adapter, cured in the snapshot so that its loss can be reported, holds its balance.
        MisbehavingAdapter bad = handler.BAD();
        _cure(bad);
        (, uint256 badDebt, , ) = vault.adapterConfig(address(bad));
        if (bad.totalAssets() < badDebt) {
            vm.prank(address(handler));
            vault.report(address(bad));
        }
        real += bad.totalAssets();
        for (uint256 i; i < adapters.length; ++i) {
            (, uint256 debt, , ) = vault.adapterConfig(address(adapters[i]));
            uint256 adapterReal = adapters[i].totalAssets();
            if (adapterReal < debt) {
                vm.prank(address(handler));
                vault.report(address(adapters[i]));
            }
            real += adapterReal;
        }
        assertLe(vault.totalAssets(), real, "totalAssets above what the vault and its adapters hold");
        vm.revertToState(snapshot);
    }

    /// @notice Claims never exceed the books: the holders' shares, valued as the vault values them, add up to at
    /// most totalAssets.
    function invariant_claimsWithinBooks() public view {
        address[] memory holders = handler.holders();
        uint256 claims;
        for (uint256 i; i < holders.length; ++i) claims += vault.convertToAssets(vault.balanceOf(holders[i]));
        assertLe(claims, vault.totalAssets(), "holders' claims above totalAssets");
    }

    // ================================================================== (2) share price

    /// @notice The share price, (totalAssets + 1) / (totalSupply + virtual shares) compared exactly, never fell in an
    /// action that did not report a loss (the handler checks after every action).
    function invariant_sharePriceFallsOnlyOnReportedLoss() public view {
        assertFalse(
            handler.priceFellWithoutLoss(),
            string.concat("share price fell without a reported loss, in ", handler.priceFellIn())
        );
    }

    // ================================================================== (3) exits

    /// @notice No holder is promised more than can be paid now. Each holder's maxWithdraw is at most liquidAssets(),
    /// which is backed: idle by the vault's balance, the rest by what the adapters say they release. Then, in a
    /// snapshot, every holder in turn withdraws its fresh maxWithdraw: each call succeeds and pays exactly that, each
    /// figure is within the liquidAssets() of its turn, and together they take at most what could really be paid
    /// before the run (the vault's balance plus, per adapter, its loose asset and what its target would let out).
    /// @dev Two stricter forms do not hold, by design rather than by fault. (a) The sum of maxWithdraw over holders
    /// may exceed liquidAssets() when liquidity binds: ERC-4626 defines maxWithdraw per owner, as what it could take
    /// going first. (b) The bank run may take a few wei more than the liquidAssets() seen before it: a target's own
    /// maxWithdraw may underestimate (ERC-4626 allows it; OpenZeppelin's is previewRedeem(maxRedeem), rounded down
    /// twice), so liquidAssets() can understate by that rounding, and the wei it hid become withdrawable later.
    function invariant_maxWithdrawIsPayable() public {
        address[] memory holders = handler.holders();
        ERC4626Adapter[] memory adapters = handler.adapters();
        MockERC4626Target[] memory targets = handler.targets();
        uint256 liquid = vault.liquidAssets();
        uint256 releasable;
        uint256 payable_ = asset.balanceOf(address(vault));
        for (uint256 i; i < adapters.length; ++i) {
            releasable += adapters[i].releasable();
            uint256 inTarget = targets[i].previewRedeem(targets[i].balanceOf(address(adapters[i])));
            payable_ += asset.balanceOf(address(adapters[i])) + Math.min(inTarget, targets[i].liquidity());
        }
        releasable += _badReleasable();
        payable_ += asset.balanceOf(address(handler.BAD()));
        assertLe(liquid, vault.totalIdle() + releasable, "liquidAssets above idle plus what adapters release");
        for (uint256 i; i < holders.length; ++i) {
            assertLe(vault.maxWithdraw(holders[i]), liquid, "a holder's maxWithdraw above liquidAssets");
            assertLe(vault.maxRedeem(holders[i]), vault.balanceOf(holders[i]), "maxRedeem above the balance");
        }

        uint256 snapshot = vm.snapshotState();
        uint256 paid;
        for (uint256 i; i < holders.length; ++i) {
            uint256 max = vault.maxWithdraw(holders[i]);
            if (max == 0) continue;
            assertLe(max, vault.liquidAssets(), "maxWithdraw above liquidAssets during the bank run");
            uint256 before = asset.balanceOf(holders[i]);
            vm.prank(holders[i]);
            vault.withdraw(max, holders[i], holders[i]);
            assertEq(asset.balanceOf(holders[i]) - before, max, "maxWithdraw not paid in full");
            paid += max;
        }
        assertLe(paid, payable_, "a bank run took more than could be paid");
        assertLe(vault.totalIdle(), asset.balanceOf(address(vault)), "the bank run left idle unbacked");
        vm.revertToState(snapshot);
    }

    /// @dev What the faulty adapter says it releases if its view works, nothing otherwise (the vault skips it).
    function _badReleasable() internal view returns (uint256) {
        (bool ok, bytes memory data) = address(handler.BAD()).staticcall{gas: 300_000}(
            abi.encodeCall(MisbehavingAdapter.releasable, ())
        );
        return ok && data.length >= 32 ? abi.decode(data, (uint256)) : 0;
    }

    // ================================================================== (4) idle

    /// @notice The idle the books count is in the vault's balance (donations may only add to the balance).
    function invariant_idleIsBacked() public view {
        assertLe(vault.totalIdle(), asset.balanceOf(address(vault)), "totalIdle above the vault's balance");
    }

    // ================================================================== books

    /// @notice The books move only with the flows the handler saw: idle + debt = deposited + reported gains -
    /// reported losses - exited; totalDebt is the sum of the adapters' debts; every share belongs to a holder.
    function invariant_booksAddUp() public view {
        assertEq(
            vault.totalIdle() + vault.totalDebt(),
            handler.ghostDeposited() +
                handler.ghostReportedGain() -
                handler.ghostReportedLoss() -
                handler.ghostRealizedLoss() -
                handler.ghostExited(),
            "idle + debt differ from the ghost flows"
        );
        ERC4626Adapter[] memory adapters = handler.adapters();
        uint256 debts;
        for (uint256 i; i < adapters.length; ++i) {
            (, uint256 debt, , ) = vault.adapterConfig(address(adapters[i]));
            debts += debt;
        }
        (, uint256 badDebtNow, , ) = vault.adapterConfig(address(handler.BAD()));
        debts += badDebtNow;
        assertEq(vault.totalDebt(), debts, "totalDebt differs from the sum of adapter debts");
        address[] memory holders = handler.holders();
        uint256 shares;
        for (uint256 i; i < holders.length; ++i) shares += vault.balanceOf(holders[i]);
        assertEq(vault.totalSupply(), shares, "shares outside the known holders");
        assertEq(handler.ghostPaid() + handler.ghostExitLoss(), handler.ghostExited(), "exit ghosts disagree");
    }
}

/// @dev Cures the faulty adapter's every fault (inside a snapshot only).
function _cure(MisbehavingAdapter bad) {
    bad.setReverts(false);
    bad.setReportOverride(0);
    bad.setShortReturn(false);
    bad.setBurnsGas(false);
}

/// @notice The invariants over a 6-decimal asset (12 decimals of virtual shares).
contract VaultInvariants6Test is VaultInvariantsBase {
    function _decimals() internal pure override returns (uint8) {
        return 6;
    }
}

/// @notice The invariants over an 18-decimal asset (no virtual share offset).
contract VaultInvariants18Test is VaultInvariantsBase {
    function _decimals() internal pure override returns (uint8) {
        return 18;
    }
}
