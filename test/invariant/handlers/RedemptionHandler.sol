// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IAdapter} from "../../../contracts/interfaces/IAdapter.sol";
import {IRedemptionQueue} from "../../../contracts/interfaces/IRedemptionQueue.sol";
import {IRollupVault} from "../../../contracts/interfaces/IRollupVault.sol";
import {IVaultErrors} from "../../../contracts/interfaces/IVaultErrors.sol";
import {ConstantsLib} from "../../../contracts/libraries/ConstantsLib.sol";
import {RedemptionQueue} from "../../../contracts/redemption/RedemptionQueue.sol";
import {MockAsyncAdapter} from "../../../contracts/test-support/MockAsyncAdapter.sol";
import {MockERC20} from "../../../contracts/test-support/MockERC20.sol";
import {MockERC4626Target} from "../../../contracts/test-support/MockERC4626Target.sol";

/// @title RedemptionHandler
/// @notice Drives a RedemptionQueue over a RollupVault with one async ERC-4626 adapter (MockAsyncAdapter) on a
/// MockERC4626Target through random deposits, direct redemptions (which compete with the queue for liquidity, and
/// sometimes try to take reserved liquidity), redemption requests, cancellations, settlements, releases prepared for
/// the queue (which reserve liquidity), claims by shares and by assets (by the controller or its operator, to any
/// receiver), allocations, deallocations, liquidity locks and unlocks in the target, gains, losses, reports and time.
/// @dev Checked around each action:
/// - PRO RATA. Around every settlement, each controller's filled shares equal its pooled shares times the fraction
///   filled (filled / pooled), to rounding (at most pooled / 10^17 + 2 wei, never in the controller's favour); the
///   pooled shares of a controller are its pending shares less those requested in a window still open (tracked here).
/// - PARTIAL FILLS. Settlements that fill part of the pool are counted (`partialFills`), and the unfilled part stays
///   pending for the next settlement.
/// - RESERVATION. A direct exit never lowers what the queue can take below what it could before, up to the reserve;
///   and a direct withdrawal of one wei more than the unreserved liquidity reverts.
/// Ghost books per controller: the assets its fills were worth (deltas of its claimable assets) and what it claimed.
contract RedemptionHandler is Test {
    IRollupVault public immutable VAULT;
    MockERC20 public immutable ASSET;
    RedemptionQueue public immutable QUEUE;
    MockAsyncAdapter public immutable ADAPTER;
    MockERC4626Target public immutable TARGET;
    uint256 public immutable UNIT;
    uint256 public immutable MAX_AMOUNT;

    address[] internal _holders;
    /// @notice Each holder's operator on the queue (may request, cancel and claim for it).
    mapping(address holder => address) public operatorOf;

    // ------------------------------------------------------------------ ghost books
    /// @notice Assets of each controller's fills, and what its claims paid (assets and shares).
    mapping(address controller => uint256) public ghostFilledAssets;
    mapping(address controller => uint256) public ghostFilledShares;
    mapping(address controller => uint256) public ghostClaimedAssets;
    mapping(address controller => uint256) public ghostClaimedShares;
    /// @notice The window of each controller's latest request and its shares still pending from that window.
    mapping(address controller => uint256) public ghostOpenWindow;
    mapping(address controller => uint256) public ghostOpenShares;
    uint256 public partialFills;
    uint256 public reservedExitsRefused;
    /// @notice Allocations the adapter refused because one target share costs more than the rounding tolerance.
    uint256 public allocationsRefused;

    uint256 public currentTime;
    mapping(string name => uint256) public effectiveCalls;
    string internal _action;

    constructor(
        IRollupVault vault_,
        MockERC20 asset_,
        RedemptionQueue queue_,
        MockAsyncAdapter adapter_,
        MockERC4626Target target_,
        address[] memory holders_
    ) {
        VAULT = vault_;
        ASSET = asset_;
        QUEUE = queue_;
        ADAPTER = adapter_;
        TARGET = target_;
        UNIT = 10 ** asset_.decimals();
        MAX_AMOUNT = 10_000_000 * UNIT;
        _holders = holders_;
        for (uint256 i; i < holders_.length; ++i) {
            address operator = makeAddr(string.concat("operator", vm.toString(i)));
            operatorOf[holders_[i]] = operator;
            vm.prank(holders_[i]);
            QUEUE.setOperator(operator, true);
            vm.prank(holders_[i]);
            VAULT.approve(address(queue_), type(uint256).max);
        }
        currentTime = block.timestamp;
    }

    modifier action(string memory name) {
        vm.warp(currentTime);
        _action = name;
        _;
    }

    function holders() external view returns (address[] memory) {
        return _holders;
    }

    // ================================================================== vault users

    function deposit(uint256 holderSeed, uint256 assets) external action("deposit") {
        address holder = _holder(holderSeed);
        assets = _bound(assets, 1, MAX_AMOUNT);
        if (VAULT.previewDeposit(assets) == 0) return;
        ASSET.mint(holder, assets);
        vm.startPrank(holder);
        ASSET.approve(address(VAULT), assets);
        VAULT.deposit(assets, holder);
        vm.stopPrank();
        ++effectiveCalls[_action];
    }

    /// @notice A holder redeems directly from the vault, up to its maxRedeem: it competes with the queue. Every other
    /// call first tries to take one wei more than the unreserved liquidity, which must revert.
    function redeemDirectly(uint256 holderSeed, uint256 shares) external action("redeemDirectly") {
        address holder = _holderWithShares(holderSeed);
        uint256 reserve = VAULT.queueReserve();
        uint256 queueCanTake = Math.min(VAULT.maxWithdraw(address(QUEUE)), reserve);
        uint256 free = VAULT.maxWithdraw(holder);
        if (reserve != 0 && shares % 2 == 0 && free < VAULT.previewRedeem(VAULT.balanceOf(holder))) {
            // More than is free to this holder, while the holder owns more: only the reserve stands in the way.
            vm.prank(holder);
            vm.expectRevert();
            VAULT.withdraw(free + 1, holder, holder);
            ++reservedExitsRefused;
        }
        uint256 max = VAULT.maxRedeem(holder);
        if (max == 0) return;
        shares = _bound(shares, 1, max);
        if (VAULT.previewRedeem(shares) == 0) return;
        vm.prank(holder);
        VAULT.redeem(shares, holder, holder);
        // What the queue can take of its reserve never falls because of a direct exit.
        assertGe(
            Math.min(VAULT.maxWithdraw(address(QUEUE)), reserve),
            queueCanTake,
            "a direct exit took liquidity reserved for the queue"
        );
        ++effectiveCalls[_action];
    }

    // ================================================================== queue

    /// @notice The owner (even seed) or its operator requests a redemption of part or all of the owner's shares,
    /// controlled by the owner or another holder.
    function requestRedeem(uint256 ownerSeed, uint256 controllerSeed, uint256 shares) external action("requestRedeem") {
        address owner = _holderWithShares(ownerSeed);
        address controller = _holder(controllerSeed);
        uint256 balance = VAULT.balanceOf(owner);
        if (balance == 0) return;
        shares = shares % 3 == 0 ? balance : _bound(shares, 1, balance);
        if (VAULT.previewRedeem(shares) == 0) return;
        uint256 pendingBefore = QUEUE.pendingRedeemRequest(0, controller);
        uint256 claimableBefore = QUEUE.claimableRedeemRequest(0, controller);
        vm.prank(ownerSeed % 2 == 0 ? owner : operatorOf[owner]);
        uint256 id = QUEUE.requestRedeem(shares, controller, owner);
        assertEq(id, 0, "requests are aggregated per controller: id 0");
        assertEq(QUEUE.pendingRedeemRequest(0, controller), pendingBefore + shares, "controller's pending off");
        assertEq(QUEUE.claimableRedeemRequest(0, controller), claimableBefore, "a request changed the claimable");
        uint256 window = QUEUE.currentWindow();
        if (ghostOpenWindow[controller] != window) ghostOpenShares[controller] = 0;
        ghostOpenWindow[controller] = window;
        ghostOpenShares[controller] += shares;
        _checkIdleAssigned();
        ++effectiveCalls[_action];
    }

    /// @notice The controller or its operator cancels part or all of its pending shares (never filled ones).
    function cancel(uint256 controllerSeed, uint256 shares) external action("cancel") {
        address controller = _holder(controllerSeed);
        uint256 pending = QUEUE.pendingRedeemRequest(0, controller);
        if (pending == 0) return;
        shares = shares % 3 == 0 ? pending : _bound(shares, 1, pending);
        uint256 before = VAULT.balanceOf(controller);
        uint256 claimableBefore = QUEUE.claimableRedeemRequest(0, controller);
        vm.prank(shares % 2 == 0 ? controller : operatorOf[controller]);
        QUEUE.cancelRedeemRequest(shares, controller);
        assertEq(VAULT.balanceOf(controller) - before, shares, "cancel returned other than asked");
        assertEq(QUEUE.claimableRedeemRequest(0, controller), claimableBefore, "cancel touched filled shares");
        // The open window's shares go first.
        uint256 open = _openShares(controller);
        ghostOpenShares[controller] = open > shares ? open - shares : 0;
        ++effectiveCalls[_action];
    }

    /// @notice Anyone settles the closed windows. Checks the fill is pro rata per controller.
    function settle() external action("settle") {
        uint256 n = _holders.length;
        uint256[] memory pooled = new uint256[](n);
        uint256[] memory filledBefore = new uint256[](n);
        uint256[] memory assetsBefore = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            address c = _holders[i];
            pooled[i] = QUEUE.pendingRedeemRequest(0, c) - _openShares(c);
            filledBefore[i] = QUEUE.claimableRedeemRequest(0, c);
            assetsBefore[i] = QUEUE.maxWithdraw(c);
        }
        uint256 held = ASSET.balanceOf(address(QUEUE));
        vm.prank(makeAddr("anyone"));
        try QUEUE.settle() returns (uint256 filled, uint256 assets) {
            assertEq(ASSET.balanceOf(address(QUEUE)) - held, assets, "settle received other than reported");
            uint256 pool = QUEUE.pooledShares() + filled;
            if (filled < pool) ++partialFills;
            uint256 assetsSeen;
            for (uint256 i; i < n; ++i) {
                address c = _holders[i];
                uint256 got = QUEUE.claimableRedeemRequest(0, c) - filledBefore[i];
                uint256 expected = Math.mulDiv(pooled[i], filled, pool);
                // Same fraction for everyone pooled, to rounding that never favours the controller by more than
                // the product's precision (one part in 10^17 of the pooled shares, plus a few wei).
                assertApproxEqAbs(got, expected, pooled[i] / 1e17 + 2, "a controller's fill is not pro rata");
                uint256 gotAssets = QUEUE.maxWithdraw(c) - assetsBefore[i];
                assetsSeen += gotAssets;
                ghostFilledAssets[c] += gotAssets;
                ghostFilledShares[c] += got;
            }
            // Each controller's claimable is a floor of its running total, so the change of one settlement can round
            // up by one wei per controller; the totals never exceed what the queue holds (the invariant checks that).
            assertLe(assetsSeen, assets + n, "controllers were credited more than the vault paid");
            ++effectiveCalls[_action];
        } catch (bytes memory reason) {
            assertEq(bytes4(reason), IRedemptionQueue.NothingToSettle.selector, "unexpected settle revert");
        }
    }

    /// @notice A stranger assigns idle to the waiting requests (permissionless): the new reserve is what the vault
    /// reports, and covers idle up to what the requests are worth.
    function reserveIdle() external action("reserveIdle") {
        vm.prank(makeAddr("stranger"));
        uint256 reserve = VAULT.reserveIdleForQueue();
        assertEq(reserve, VAULT.queueReserve(), "reserveIdleForQueue returned other than the reserve");
        _checkIdleAssigned();
        ++effectiveCalls[_action];
    }

    /// @notice The keeper prepares a release for the queue: part of what it waits for becomes reserved.
    function prepareRelease(uint256 assets) external action("prepareRelease") {
        (, uint256 debt, , ) = VAULT.adapterConfig(address(ADAPTER));
        if (debt == 0) return;
        VAULT.prepareRelease(address(ADAPTER), _bound(assets, 1, debt));
        assertLe(VAULT.queueReserve(), VAULT.convertToAssets(QUEUE.pendingShares()), "reserve above the queue's worth");
        ++effectiveCalls[_action];
    }

    /// @notice The controller or its operator claims part or all of its claimable shares, to any holder.
    function claimRedeem(uint256 controllerSeed, uint256 receiverSeed, uint256 shares) external action("claimRedeem") {
        address controller = _holder(controllerSeed);
        address receiver = _holder(receiverSeed);
        uint256 max = QUEUE.maxRedeem(controller);
        if (max == 0) return;
        shares = shares % 2 == 0 ? max : _bound(shares, 1, max);
        uint256 before = ASSET.balanceOf(receiver);
        vm.prank(shares % 3 == 0 ? operatorOf[controller] : controller);
        try QUEUE.redeem(shares, receiver, controller) returns (uint256 assets) {
            assertEq(ASSET.balanceOf(receiver) - before, assets, "claim transferred other than it returned");
            ghostClaimedAssets[controller] += assets;
            ghostClaimedShares[controller] += shares;
            ++effectiveCalls[_action];
        } catch (bytes memory reason) {
            // The one acceptable refusal: a part too small to be worth one asset wei.
            assertEq(bytes4(reason), IRedemptionQueue.ZeroAssets.selector, "unexpected claim revert");
        }
    }

    /// @notice The controller or its operator claims part or all of its claimable assets, to any holder.
    function claimWithdraw(
        uint256 controllerSeed,
        uint256 receiverSeed,
        uint256 assets
    ) external action("claimWithdraw") {
        address controller = _holder(controllerSeed);
        address receiver = _holder(receiverSeed);
        uint256 max = QUEUE.maxWithdraw(controller);
        if (max == 0) return;
        assets = assets % 2 == 0 ? max : _bound(assets, 1, max);
        uint256 sharesBefore = QUEUE.maxRedeem(controller);
        uint256 before = ASSET.balanceOf(receiver);
        vm.prank(assets % 3 == 0 ? operatorOf[controller] : controller);
        uint256 shares = QUEUE.withdraw(assets, receiver, controller);
        assertEq(ASSET.balanceOf(receiver) - before, assets, "claim paid other than asked");
        assertEq(sharesBefore - QUEUE.maxRedeem(controller), shares, "claim consumed other shares than it returned");
        ghostClaimedAssets[controller] += assets;
        ghostClaimedShares[controller] += shares;
        ++effectiveCalls[_action];
    }

    // ================================================================== allocator, keeper, market, time

    function allocate(uint256 assets) external action("allocate") {
        if (VAULT.isShutdown()) return;
        uint256 idle = VAULT.totalIdle();
        if (idle == 0) return;
        assets = assets % 4 == 0 ? idle : _bound(assets, 1, idle);
        // One target share may cost more than the adapter's rounding tolerance (a target with few shares and a gain,
        // the handler's simulateGain being at least one whole token): the deposit would mint shares worth less than
        // sent, and the adapter rightly refuses (issue 8.4). Only then: a refusal with a cheap share is a bug.
        uint256 shareCost = TARGET.previewMint(1);
        try VAULT.allocate(address(ADAPTER), assets) {
            ++effectiveCalls[_action];
        } catch (bytes memory reason) {
            assertEq(bytes4(reason), IAdapter.AllocationShortfall.selector, "unexpected allocate revert");
            assertGt(
                shareCost,
                assets / ADAPTER.ALLOCATION_TOLERANCE_DIVISOR(),
                "allocation refused though a target share is cheaper than the tolerance"
            );
            ++allocationsRefused;
        }
    }

    function deallocate(uint256 assets) external action("deallocate") {
        (, uint256 debt, , ) = VAULT.adapterConfig(address(ADAPTER));
        if (debt == 0) return;
        VAULT.deallocate(address(ADAPTER), _bound(assets, 1, debt));
        ++effectiveCalls[_action];
    }

    /// @notice Locks (some of) the target's liquidity, or unlocks it all (one call in three).
    function setLiquidity(uint256 liquidity) external action("setLiquidity") {
        if (liquidity % 3 == 0) TARGET.setLiquidity(type(uint256).max);
        else TARGET.setLiquidity(_bound(liquidity, 0, ASSET.balanceOf(address(TARGET))));
        ++effectiveCalls[_action];
    }

    /// @notice Yield in the target: up to 5% of what it holds (at least one whole token).
    function simulateGain(uint256 amount) external action("simulateGain") {
        if (TARGET.totalSupply() == 0) return;
        amount = _bound(amount, 1, Math.max(ASSET.balanceOf(address(TARGET)) / 20, UNIT));
        ASSET.mint(address(TARGET), amount);
        ++effectiveCalls[_action];
    }

    /// @notice Loss in the target: up to a fifth of what it holds.
    function simulateLoss(uint256 amount) external action("simulateLoss") {
        uint256 held = ASSET.balanceOf(address(TARGET));
        if (held < 5) return;
        TARGET.simulateLoss(_bound(amount, 1, held / 5));
        ++effectiveCalls[_action];
    }

    /// @notice The keeper reports the adapter (a gain above the gain allowance is booked up to it, issue 8.7).
    function report() external action("report") {
        (, uint256 debt, , ) = VAULT.adapterConfig(address(ADAPTER));
        uint256 real = ADAPTER.totalAssets();
        if (debt == 0 && real == 0) return;
        VAULT.report(address(ADAPTER));
        ++effectiveCalls[_action];
    }

    function warp(uint256 secondsToPass) external action("warp") {
        currentTime += _bound(secondsToPass, 1, 10 days);
        vm.warp(currentTime);
        vm.roll(block.number + 1);
        ++effectiveCalls[_action];
    }

    // ================================================================== internal

    /// @dev Shares `controller` requested in the window still open (zero once that window has closed).
    function _openShares(address controller) internal view returns (uint256) {
        return ghostOpenWindow[controller] == QUEUE.currentWindow() ? ghostOpenShares[controller] : 0;
    }

    /// @dev RESERVATION OF IDLE. Right after a request (or a stranger's call), the reserve covers the idle, up to
    /// what the queue's escrow is worth: no direct withdrawal can take idle present while requests waited.
    function _checkIdleAssigned() internal view {
        uint256 demand = VAULT.convertToAssets(QUEUE.pendingShares());
        assertGe(VAULT.queueReserve(), Math.min(VAULT.totalIdle(), demand), "idle not reserved for waiting requests");
    }

    function _holder(uint256 seed) internal view returns (address) {
        return _holders[seed % _holders.length];
    }

    function _holderWithShares(uint256 seed) internal view returns (address) {
        for (uint256 i; i < _holders.length; ++i) {
            address holder = _holders[((seed % _holders.length) + i) % _holders.length];
            if (VAULT.balanceOf(holder) != 0) return holder;
        }
        return _holder(seed);
    }
}
