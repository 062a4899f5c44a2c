// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {Test} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";

import {IRollupVault} from "../../contracts/interfaces/IRollupVault.sol";
import {RedemptionQueue} from "../../contracts/redemption/RedemptionQueue.sol";
import {MockAsyncAdapter} from "../../contracts/test-support/MockAsyncAdapter.sol";
import {MockERC20} from "../../contracts/test-support/MockERC20.sol";
import {MockERC4626Target} from "../../contracts/test-support/MockERC4626Target.sol";
import {RollupVault} from "../../contracts/vault/RollupVault.sol";
import {VaultAdmin} from "../../contracts/vault/VaultAdmin.sol";
import {RedemptionHandler} from "./handlers/RedemptionHandler.sol";

/// @title RedemptionInvariantsTest
/// @notice What must hold for a RedemptionQueue over a RollupVault (one async ERC-4626 adapter on a target whose
/// liquidity gets locked and unlocked) after any sequence of deposits, direct redemptions, requests, cancellations,
/// settlements (partial fills included), releases prepared for the queue and idle assigned to it (reserved
/// liquidity), claims, allocations, liquidity changes, gains, losses, reports and time passing. 18-decimal asset,
/// three holders. The handler checks around each settlement that every pooled controller is filled by the same
/// fraction, around each direct exit that reserved liquidity stays the queue's, and after each request that the idle
/// present is reserved for the waiting requests (up to their worth).
contract RedemptionInvariantsTest is StdInvariant, Test {
    IRollupVault internal vault;
    MockERC20 internal asset;
    RedemptionQueue internal queue;
    RedemptionHandler internal handler;

    function setUp() public {
        asset = new MockERC20("Test Asset", "TKN", 18);
        VaultAdmin admin = new VaultAdmin();
        vault = IRollupVault(
            address(new RollupVault(IERC20(address(asset)), "Rollup Vault", "rvTKN", address(this), address(admin)))
        );
        MockERC4626Target target = new MockERC4626Target(IERC20(address(asset)));
        MockAsyncAdapter adapter = new MockAsyncAdapter(address(vault), IERC4626(address(target)));
        vault.addAdapter(address(adapter), type(uint128).max, 10_000);
        queue = new RedemptionQueue(address(vault));
        vault.setRedemptionQueue(address(queue));

        address[] memory holders = new address[](3);
        holders[0] = makeAddr("alice");
        holders[1] = makeAddr("bob");
        holders[2] = makeAddr("carol");
        handler = new RedemptionHandler(vault, asset, queue, adapter, target, holders);
        vault.setAllocator(address(handler), true);
        vault.setKeeper(address(handler), true);

        bytes4[] memory selectors = new bytes4[](18);
        selectors[0] = RedemptionHandler.deposit.selector;
        selectors[1] = RedemptionHandler.redeemDirectly.selector;
        selectors[2] = RedemptionHandler.requestRedeem.selector;
        selectors[3] = RedemptionHandler.cancel.selector;
        selectors[4] = RedemptionHandler.settle.selector;
        selectors[5] = RedemptionHandler.claimRedeem.selector;
        selectors[6] = RedemptionHandler.claimWithdraw.selector;
        selectors[7] = RedemptionHandler.allocate.selector;
        selectors[8] = RedemptionHandler.deallocate.selector;
        selectors[9] = RedemptionHandler.setLiquidity.selector;
        selectors[10] = RedemptionHandler.simulateGain.selector;
        selectors[11] = RedemptionHandler.simulateLoss.selector;
        selectors[12] = RedemptionHandler.report.selector;
        selectors[13] = RedemptionHandler.warp.selector;
        selectors[14] = RedemptionHandler.prepareRelease.selector;
        // Second entries, so that several requests wait at once and settlements come about as often as requests.
        selectors[15] = RedemptionHandler.requestRedeem.selector;
        selectors[16] = RedemptionHandler.settle.selector;
        selectors[17] = RedemptionHandler.reserveIdle.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @notice All the properties below, in one campaign (forge runs one campaign per invariant function).
    function invariant_redemptionQueue() public view {
        _checkEscrow();
        _checkClaimableAssets();
        _checkPerController();
        _checkReserve();
    }

    /// @notice The queue holds exactly the pending shares; the controllers' pending shares add up to at most that
    /// (rounding dust no controller owns stays in the pool and is redeemed by later settlements).
    function _checkEscrow() internal view {
        uint256 pending = queue.pendingShares();
        assertEq(vault.balanceOf(address(queue)), pending, "escrowed shares differ from the pending shares");
        assertEq(queue.pooledShares() + queue.openShares(), pending, "pool + open window differ from pending");
        address[] memory holders = handler.holders();
        uint256 byController;
        for (uint256 i; i < holders.length; ++i) byController += queue.pendingRedeemRequest(0, holders[i]);
        assertLe(byController, pending, "controllers' pending exceeds the escrow");
    }

    /// @notice The queue's asset balance is exactly its claimable books, which cover every controller's claim.
    function _checkClaimableAssets() internal view {
        uint256 owed = queue.claimableAssets();
        assertEq(asset.balanceOf(address(queue)), owed, "queue balance differs from the claimable assets");
        address[] memory holders = handler.holders();
        uint256 byController;
        for (uint256 i; i < holders.length; ++i) byController += queue.maxWithdraw(holders[i]);
        assertLe(byController, owed, "controllers can claim more than the queue holds");
    }

    /// @notice Nobody claims more than its fills were worth: claimed + still claimable is exactly what the
    /// settlements credited it, in assets and in shares.
    function _checkPerController() internal view {
        address[] memory holders = handler.holders();
        for (uint256 i; i < holders.length; ++i) {
            address c = holders[i];
            assertEq(
                handler.ghostClaimedAssets(c) + queue.maxWithdraw(c),
                handler.ghostFilledAssets(c),
                "a controller's claimed + claimable assets off"
            );
            assertEq(
                handler.ghostClaimedShares(c) + queue.maxRedeem(c),
                handler.ghostFilledShares(c),
                "a controller's claimed + claimable shares off"
            );
        }
    }

    /// @notice The reserve never exceeds what the queue's escrow is worth, and direct exits see liquidity net of it.
    function _checkReserve() internal view {
        uint256 reserve = vault.queueReserve();
        assertLe(reserve, vault.convertToAssets(queue.pendingShares()), "reserve above the queue's worth");
        address[] memory holders = handler.holders();
        for (uint256 i; i < holders.length; ++i) {
            assertLe(vault.maxWithdraw(holders[i]), vault.liquidAssets(), "a holder may take reserved liquidity");
        }
    }

    /// @notice The situations this run reached (printed with -vv for the last run): settlements that filled part of
    /// the pool, and direct withdrawals refused because only the reserve stood in the way. With the CI seed, both
    /// occur in the campaign (checked when the suite was written by asserting them zero and seeing it fail).
    function afterInvariant() external {
        emit log_named_uint("partial fills in this run", handler.partialFills());
        emit log_named_uint("direct exits refused by the reserve in this run", handler.reservedExitsRefused());
        emit log_named_uint("allocations refused for a coarse target share", handler.allocationsRefused());
    }
}
