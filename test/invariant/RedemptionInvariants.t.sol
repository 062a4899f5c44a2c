// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {Test} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";

import {ERC4626Adapter} from "../../contracts/adapters/ERC4626Adapter.sol";
import {IRedemptionQueue} from "../../contracts/interfaces/IRedemptionQueue.sol";
import {IRollupVault} from "../../contracts/interfaces/IRollupVault.sol";
import {RedemptionQueue} from "../../contracts/redemption/RedemptionQueue.sol";
import {MockERC20} from "../../contracts/test-support/MockERC20.sol";
import {MockERC4626Target} from "../../contracts/test-support/MockERC4626Target.sol";
import {RollupVault} from "../../contracts/vault/RollupVault.sol";
import {VaultAdmin} from "../../contracts/vault/VaultAdmin.sol";
import {RedemptionHandler} from "./handlers/RedemptionHandler.sol";

/// @title RedemptionInvariantsTest
/// @notice What must hold for a RedemptionQueue over a RollupVault (one ERC4626Adapter on a target whose liquidity
/// gets locked and unlocked) after any sequence of deposits, direct redemptions, requests, cancellations, fulfilments,
/// claims, allocations, liquidity changes, gains, losses, reports and time passing. 18-decimal asset, three holders.
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
        ERC4626Adapter adapter = new ERC4626Adapter(address(vault), IERC4626(address(target)));
        vault.addAdapter(address(adapter), type(uint128).max, 10_000);
        queue = new RedemptionQueue(address(vault));

        address[] memory holders = new address[](3);
        holders[0] = makeAddr("alice");
        holders[1] = makeAddr("bob");
        holders[2] = makeAddr("carol");
        handler = new RedemptionHandler(vault, asset, queue, adapter, target, holders);
        vault.setAllocator(address(handler), true);
        vault.setKeeper(address(handler), true);

        bytes4[] memory selectors = new bytes4[](16);
        selectors[0] = RedemptionHandler.deposit.selector;
        selectors[1] = RedemptionHandler.redeemDirectly.selector;
        selectors[2] = RedemptionHandler.requestRedeem.selector;
        selectors[3] = RedemptionHandler.cancel.selector;
        selectors[4] = RedemptionHandler.fulfill.selector;
        selectors[5] = RedemptionHandler.claimRedeem.selector;
        selectors[6] = RedemptionHandler.claimWithdraw.selector;
        selectors[7] = RedemptionHandler.allocate.selector;
        selectors[8] = RedemptionHandler.deallocate.selector;
        selectors[9] = RedemptionHandler.setLiquidity.selector;
        selectors[10] = RedemptionHandler.simulateGain.selector;
        selectors[11] = RedemptionHandler.simulateLoss.selector;
        selectors[12] = RedemptionHandler.report.selector;
        selectors[13] = RedemptionHandler.warp.selector;
        // A second fulfil entry, so that the queue moves about as often as requests arrive.
        selectors[14] = RedemptionHandler.fulfill.selector;
        // And a second request entry, so that the queue holds several requests at once.
        selectors[15] = RedemptionHandler.requestRedeem.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @notice All the properties below, in one campaign (forge runs one campaign per invariant function).
    function invariant_redemptionQueue() public view {
        _checkEscrow();
        _checkClaimableAssets();
        _checkPerController();
        _checkOrder();
    }

    /// @notice The queue holds exactly the shares of the pending requests: per request, per controller and in total.
    function _checkEscrow() internal view {
        uint256 pending;
        uint256 end = queue.nextRequestId();
        for (uint256 id = 1; id < end; ++id) {
            IRedemptionQueue.Request memory request = queue.getRequest(id);
            if (request.status == IRedemptionQueue.Status.Pending) pending += request.shares;
        }
        assertEq(vault.balanceOf(address(queue)), pending, "escrowed shares differ from the pending requests");
        assertEq(queue.pendingShares(), pending, "pendingShares differs from the pending requests");
        address[] memory holders = handler.holders();
        uint256 byController;
        for (uint256 i; i < holders.length; ++i) byController += queue.pendingRedeemRequest(0, holders[i]);
        assertEq(byController, pending, "controllers' pending differs from the pending requests");
    }

    /// @notice The queue's asset balance is exactly what fulfilled requests still have to pay.
    function _checkClaimableAssets() internal view {
        uint256 owed;
        uint256 end = queue.nextRequestId();
        for (uint256 id = 1; id < end; ++id) {
            IRedemptionQueue.Request memory request = queue.getRequest(id);
            if (request.status == IRedemptionQueue.Status.Claimable) owed += request.assets;
            else assertEq(request.assets, 0, "assets left on a request that is not claimable");
        }
        assertEq(asset.balanceOf(address(queue)), owed, "queue balance differs from fulfilled-unclaimed assets");
        assertEq(queue.claimableAssets(), owed, "claimableAssets differs from the fulfilled requests");
        address[] memory holders = handler.holders();
        uint256 byController;
        for (uint256 i; i < holders.length; ++i) byController += queue.maxWithdraw(holders[i]);
        assertEq(byController, owed, "controllers' claimable assets differ from the fulfilled requests");
    }

    /// @notice Nobody claims more than the assets recorded at its requests' fulfilment: claimed + still claimable
    /// is exactly what was recorded, in assets and in shares.
    function _checkPerController() internal view {
        address[] memory holders = handler.holders();
        for (uint256 i; i < holders.length; ++i) {
            address c = holders[i];
            uint256 fulfilled = handler.ghostFulfilledAssets(c);
            uint256 claimed = handler.ghostClaimedAssets(c);
            assertLe(claimed, fulfilled, "a controller claimed more than its fulfilled requests recorded");
            assertEq(claimed + queue.maxWithdraw(c), fulfilled, "a controller's claimed + claimable assets off");
            assertEq(
                handler.ghostClaimedShares(c) + queue.maxRedeem(c),
                handler.ghostFulfilledShares(c),
                "a controller's claimed + claimable shares off"
            );
        }
    }

    /// @notice Requests are served in id order: none behind the head is pending, none at or after it was served,
    /// and no fulfilment ever served a request after a later one (the handler checks each `fulfill`).
    function _checkOrder() internal view {
        assertFalse(
            handler.ghostOrderBroken(),
            string.concat("fulfilment order broken: ", handler.ghostOrderBrokenWhy())
        );
        uint256 head = queue.head();
        uint256 end = queue.nextRequestId();
        assertLe(head, end, "head beyond the last request");
        for (uint256 id = 1; id < end; ++id) {
            IRedemptionQueue.Status status = queue.getRequest(id).status;
            if (id < head) assertTrue(status != IRedemptionQueue.Status.Pending, "pending request behind the head");
            else {
                assertTrue(
                    status == IRedemptionQueue.Status.Pending || status == IRedemptionQueue.Status.Cancelled,
                    "served request at or after the head"
                );
            }
        }
        assertLe(handler.ghostLastFulfilled(), head == 1 ? 0 : head - 1, "a request beyond the head was served");
    }
}
