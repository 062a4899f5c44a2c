// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {ERC4626Adapter} from "../../../contracts/adapters/ERC4626Adapter.sol";
import {IRedemptionQueue} from "../../../contracts/interfaces/IRedemptionQueue.sol";
import {IRollupVault} from "../../../contracts/interfaces/IRollupVault.sol";
import {IVaultErrors} from "../../../contracts/interfaces/IVaultErrors.sol";
import {ConstantsLib} from "../../../contracts/libraries/ConstantsLib.sol";
import {RedemptionQueue} from "../../../contracts/redemption/RedemptionQueue.sol";
import {MockERC20} from "../../../contracts/test-support/MockERC20.sol";
import {MockERC4626Target} from "../../../contracts/test-support/MockERC4626Target.sol";

/// @title RedemptionHandler
/// @notice Drives a RedemptionQueue over a RollupVault with one ERC4626Adapter on a MockERC4626Target through random
/// deposits, direct redemptions (which compete with the queue for liquidity), redemption requests, cancellations,
/// fulfilments, claims by shares and by assets (by the controller or its operator, to any receiver), allocations,
/// deallocations, liquidity locks and unlocks in the target, gains, losses, reports and time passing.
/// @dev Ghost books per controller: the assets recorded at the fulfilment of its requests and the assets it claimed.
/// The fulfilment order is checked around every `fulfill`: the requests served are exactly the pending ones from
/// the head up to the new head, in id order, and nothing behind the new head was served.
contract RedemptionHandler is Test {
    IRollupVault public immutable VAULT;
    MockERC20 public immutable ASSET;
    RedemptionQueue public immutable QUEUE;
    ERC4626Adapter public immutable ADAPTER;
    MockERC4626Target public immutable TARGET;
    uint256 public immutable UNIT;
    uint256 public immutable MAX_AMOUNT;

    address[] internal _holders;
    /// @notice Each holder's operator on the queue (may request, cancel and claim for it).
    mapping(address holder => address) public operatorOf;

    // ------------------------------------------------------------------ ghost books
    /// @notice Assets recorded at the fulfilment of each controller's requests.
    mapping(address controller => uint256) public ghostFulfilledAssets;
    /// @notice Assets each controller's claims paid.
    mapping(address controller => uint256) public ghostClaimedAssets;
    /// @notice Shares fulfilled and claimed, per controller.
    mapping(address controller => uint256) public ghostFulfilledShares;
    mapping(address controller => uint256) public ghostClaimedShares;
    /// @notice The highest request id fulfilled so far: fulfilment must only ever move forward.
    uint256 public ghostLastFulfilled;
    /// @notice Set when a fulfilment broke the order (which, in `ghostOrderBrokenWhy`).
    bool public ghostOrderBroken;
    string public ghostOrderBrokenWhy;

    uint256 public currentTime;
    mapping(string name => uint256) public effectiveCalls;
    string internal _action;

    constructor(
        IRollupVault vault_,
        MockERC20 asset_,
        RedemptionQueue queue_,
        ERC4626Adapter adapter_,
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
            // Requests take the owner's shares by this contract's allowance on the vault's share token.
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

    /// @notice A holder redeems directly from the vault, up to its maxRedeem: it competes with the queue.
    function redeemDirectly(uint256 holderSeed, uint256 shares) external action("redeemDirectly") {
        address holder = _holderWithShares(holderSeed);
        uint256 max = VAULT.maxRedeem(holder);
        if (max == 0) return;
        shares = _bound(shares, 1, max);
        if (VAULT.previewRedeem(shares) == 0) return;
        vm.prank(holder);
        VAULT.redeem(shares, holder, holder);
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
        vm.prank(ownerSeed % 2 == 0 ? owner : operatorOf[owner]);
        uint256 id = QUEUE.requestRedeem(shares, controller, owner);
        assertEq(id, QUEUE.nextRequestId() - 1, "request id not the last one");
        assertEq(QUEUE.pendingRedeemRequest(id, controller), shares, "request not pending in full");
        assertEq(QUEUE.pendingRedeemRequest(0, controller) - pendingBefore, shares, "controller's pending off");
        ++effectiveCalls[_action];
    }

    /// @notice The controller or its operator cancels one of its pending requests (the seed picks which).
    function cancel(uint256 controllerSeed, uint256 pick) external action("cancel") {
        address controller = _holder(controllerSeed);
        uint256[] memory ids = QUEUE.requestIdsOf(controller);
        for (uint256 k; k < ids.length; ++k) {
            uint256 id = ids[((pick % ids.length) + k) % ids.length];
            IRedemptionQueue.Request memory request = QUEUE.getRequest(id);
            if (request.status != IRedemptionQueue.Status.Pending) continue;
            uint256 before = VAULT.balanceOf(controller);
            vm.prank(pick % 2 == 0 ? controller : operatorOf[controller]);
            QUEUE.cancelRedeemRequest(id);
            assertEq(VAULT.balanceOf(controller) - before, request.shares, "cancel returned other than escrowed");
            ++effectiveCalls[_action];
            return;
        }
    }

    /// @notice Anyone fulfils 1 to 8 requests from the head. The handler checks the order and the recorded assets.
    function fulfill(uint256 maxRequests) external action("fulfill") {
        maxRequests = _bound(maxRequests, 1, 8);
        uint256 oldHead = QUEUE.head();
        uint256 end = QUEUE.nextRequestId();
        IRedemptionQueue.Status[] memory before = new IRedemptionQueue.Status[](end - oldHead);
        for (uint256 id = oldHead; id < end; ++id) before[id - oldHead] = QUEUE.getRequest(id).status;
        uint256 queueAssetsBefore = ASSET.balanceOf(address(QUEUE));
        vm.prank(makeAddr("anyone"));
        (uint256 served, uint256 assets) = QUEUE.fulfill(maxRequests);
        uint256 newHead = QUEUE.head();
        assertEq(ASSET.balanceOf(address(QUEUE)) - queueAssetsBefore, assets, "fulfil received other than reported");
        uint256 servedSeen;
        uint256 assetsSeen;
        for (uint256 id = oldHead; id < end; ++id) {
            IRedemptionQueue.Request memory request = QUEUE.getRequest(id);
            bool wasPending = before[id - oldHead] == IRedemptionQueue.Status.Pending;
            bool nowClaimable = request.status == IRedemptionQueue.Status.Claimable;
            if (id < newHead) {
                // Behind the new head nothing may remain pending.
                if (request.status == IRedemptionQueue.Status.Pending) _orderBroken("pending request behind head");
            } else if (request.status != before[id - oldHead]) {
                _orderBroken("request at or after the new head changed");
            }
            if (wasPending && nowClaimable) {
                if (id <= ghostLastFulfilled) _orderBroken("request fulfilled after a later one");
                ghostLastFulfilled = id;
                ++servedSeen;
                assetsSeen += request.assets;
                ghostFulfilledAssets[request.controller] += request.assets;
                ghostFulfilledShares[request.controller] += request.shares;
            }
        }
        assertEq(servedSeen, served, "fulfil served other than reported");
        assertEq(assetsSeen, assets, "fulfil recorded other assets than it received");
        if (served != 0 || newHead != oldHead) ++effectiveCalls[_action];
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
            // The one acceptable refusal: a part of a request too small to be worth one asset wei.
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
        VAULT.allocate(address(ADAPTER), assets);
        ++effectiveCalls[_action];
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

    function _orderBroken(string memory why) internal {
        if (ghostOrderBroken) return;
        ghostOrderBroken = true;
        ghostOrderBrokenWhy = why;
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
