// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {StargateV2Adapter} from "../../../contracts/adapters/StargateV2Adapter.sol";
import {IRollupVault} from "../../../contracts/interfaces/IRollupVault.sol";
import {IVaultErrors} from "../../../contracts/interfaces/IVaultErrors.sol";
import {ConstantsLib} from "../../../contracts/libraries/ConstantsLib.sol";
import {MockERC20} from "../../../contracts/test-support/MockERC20.sol";
import {IStargatePoolV2} from "./IStargateV2.sol";

/// @title StargateHandler
/// @notice Drives a RollupVault whose one adapter is the real StargateV2Adapter over the REAL Stargate V2 pool,
/// StargateStaking and MultiRewarder (official bytecode, deployed from the npm package's artifacts) through random
/// deposits, withdrawals, redemptions, allocations, deallocations, reports, the planner's credit moves away and back,
/// bridgers from the far chain paid out of the pool, an outside LP entering and leaving the pool, pauses by the
/// planner, loose asset landing on the adapter, and time.
/// @dev The handler plays the pool's planner and its two messaging contracts (the pool's AddressConfig names it):
/// it calls the real pool's `sendCredits` / `receiveCredits` (what CreditMessaging delivers) and `receiveTokenTaxi`
/// (what TokenMessaging delivers for a bridger arriving here), so every state the pool reaches is one the deployed
/// code reaches. 18-decimal asset over 6 shared decimals: every pool amount is a multiple of 1e12 and the adapter
/// keeps the dust loose. The handler is the vault's allocator and keeper; with `fail_on_revert` any unexpected revert
/// fails the campaign.
contract StargateHandler is Test {
    IRollupVault public immutable VAULT;
    MockERC20 public immutable ASSET;
    StargateV2Adapter public immutable ADAPTER;
    IStargatePoolV2 public immutable POOL;
    IERC20 public immutable LP;
    uint256 public immutable UNIT;
    uint256 public immutable MAX_AMOUNT;
    /// @notice The pool's local-to-shared conversion rate (1e12 here).
    uint256 public constant RATE = 1e12;

    address[] internal _holders;
    /// @notice An LP of the same pool outside the vault, whose deposits and redemptions move the shared credit.
    address public immutable OUTSIDER;
    /// @notice A bridger arriving from the far chain, paid out of the pool.
    address public immutable BRIDGER;
    /// @notice The far chain's endpoint id, where the planner sends credit.
    uint32 public constant REMOTE_EID = 30101;
    /// @notice Credit of this pool's path the planner has sent to the far chain and bridgers have not spent yet.
    uint256 public creditAway;
    uint64 internal _nonce;

    uint256 public currentTime;
    mapping(string name => uint256) public effectiveCalls;
    string internal _action;

    constructor(
        IRollupVault vault_,
        MockERC20 asset_,
        StargateV2Adapter adapter_,
        IStargatePoolV2 pool_,
        address[] memory holders_
    ) {
        VAULT = vault_;
        ASSET = asset_;
        ADAPTER = adapter_;
        POOL = pool_;
        LP = IERC20(pool_.lpToken());
        UNIT = 10 ** asset_.decimals();
        MAX_AMOUNT = 10_000_000 * UNIT;
        _holders = holders_;
        OUTSIDER = makeAddr("outsiderLp");
        BRIDGER = makeAddr("bridger");
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
        if (VAULT.maxDeposit(holder) == 0) return;
        assets = _bound(assets, 1, MAX_AMOUNT);
        uint256 expected = VAULT.previewDeposit(assets);
        if (expected == 0) return;
        ASSET.mint(holder, assets);
        vm.startPrank(holder);
        ASSET.approve(address(VAULT), assets);
        assertEq(VAULT.deposit(assets, holder), expected, "deposit minted other than previewDeposit");
        vm.stopPrank();
        ++effectiveCalls[_action];
    }

    /// @notice Withdraws all of `maxWithdraw` (even seed) or part of it: it must be paid exactly.
    function withdraw(uint256 holderSeed, uint256 assets) external action("withdraw") {
        address holder = _holderWithShares(holderSeed);
        uint256 max = VAULT.maxWithdraw(holder);
        if (max == 0) return;
        assets = assets % 2 == 0 ? max : _bound(assets, 1, max);
        uint256 before = ASSET.balanceOf(holder);
        vm.prank(holder);
        VAULT.withdraw(assets, holder, holder);
        assertEq(ASSET.balanceOf(holder) - before, assets, "withdraw paid other than asked");
        ++effectiveCalls[_action];
    }

    /// @notice Redeems all of `maxRedeem` (even seed) or part of it: it must pay exactly `previewRedeem`.
    function redeem(uint256 holderSeed, uint256 shares) external action("redeem") {
        address holder = _holderWithShares(holderSeed);
        uint256 max = VAULT.maxRedeem(holder);
        if (max == 0) return;
        shares = shares % 2 == 0 ? max : _bound(shares, 1, max);
        uint256 expected = VAULT.previewRedeem(shares);
        if (expected == 0) return;
        uint256 before = ASSET.balanceOf(holder);
        vm.prank(holder);
        assertEq(VAULT.redeem(shares, holder, holder), expected, "redeem paid other than previewRedeem");
        assertEq(ASSET.balanceOf(holder) - before, expected, "redeem transferred other than it returned");
        ++effectiveCalls[_action];
    }

    /// @notice Exits all of `maxRedeemInKind` (even seed) or part of it in kind (issue 13.5): the holder gets exactly
    /// `previewRedeemInKind`'s `out` in LP, idle is untouched, the books fall by `out` only and the share price does
    /// not fall (the penalty stays with those who stay), whatever the credit or the pool's pause.
    function redeemInKind(uint256 holderSeed, uint256 shares) external action("redeemInKind") {
        address holder = _holderWithShares(holderSeed);
        uint256 max = VAULT.maxRedeemInKind(address(ADAPTER), holder);
        if (max == 0) return;
        shares = shares % 2 == 0 ? max : _bound(shares, 1, max);
        (, , uint256 out) = VAULT.previewRedeemInKind(shares);
        if (out == 0) return;
        uint256 priceBefore = VAULT.convertToAssets(1e36);
        uint256 idleBefore = VAULT.totalIdle();
        uint256 booksBefore = VAULT.totalAssets();
        uint256 lpBefore = LP.balanceOf(holder);
        vm.prank(holder);
        assertEq(VAULT.redeemInKind(address(ADAPTER), shares, holder, holder, out), out, "in kind: other than preview");
        assertEq(LP.balanceOf(holder) - lpBefore, out, "in kind: LP sent other than out");
        assertEq(VAULT.totalIdle(), idleBefore, "in kind: idle moved");
        assertEq(booksBefore - VAULT.totalAssets(), out, "in kind: books fell by other than out");
        assertGe(VAULT.convertToAssets(1e36), priceBefore, "in kind: share price fell");
        ++effectiveCalls[_action];
    }

    // ================================================================== allocator and keeper

    /// @notice Allocates part or all of the idle (the pool refuses deposits while paused, so not then).
    function allocate(uint256 assets) external action("allocate") {
        uint256 idle = VAULT.totalIdle();
        if (idle == 0 || VAULT.isShutdown() || _paused()) return;
        assets = assets % 4 == 0 ? idle : _bound(assets, 1, idle);
        VAULT.allocate(address(ADAPTER), assets);
        ++effectiveCalls[_action];
    }

    /// @notice Deallocates up to the debt; the adapter frees what credit allows, never more than asked.
    function deallocate(uint256 assets) external action("deallocate") {
        (, uint256 debt, , ) = VAULT.adapterConfig(address(ADAPTER));
        if (debt == 0) return;
        assets = _bound(assets, 1, debt);
        uint256 idleBefore = VAULT.totalIdle();
        uint256 received = VAULT.deallocate(address(ADAPTER), assets);
        assertLe(received, assets, "deallocate freed more than asked");
        assertEq(VAULT.totalIdle() - idleBefore, received, "deallocate booked other than received");
        ++effectiveCalls[_action];
    }

    /// @notice The keeper reports the adapter: a gain is booked up to the vault's gain allowance (issue 8.7).
    function report() external action("report") {
        (, uint256 debt, , ) = VAULT.adapterConfig(address(ADAPTER));
        uint256 real = ADAPTER.totalAssets();
        uint256 allowance = VAULT.gainAllowance();
        (uint256 gain, uint256 loss) = VAULT.report(address(ADAPTER));
        assertEq(
            gain,
            real > debt ? Math.min(real - debt, allowance) : 0,
            "report gain differs from min(real - debt, allowance)"
        );
        assertEq(loss, debt > real ? debt - real : 0, "report loss differs from debt - real");
        ++effectiveCalls[_action];
    }

    // ================================================================== the pool and the bridge

    /// @notice The planner sends some or all of the pool's local credit to the far chain (`sendCredits`, as
    /// CreditMessaging calls it): local LPs can redeem that much less at once; the pool's balance does not move.
    function moveCreditAway(uint256 amount) external action("moveCreditAway") {
        if (_paused()) return;
        uint256 credit = POOL.redeemable(address(0));
        if (credit < RATE) return;
        amount = amount % 3 == 0 ? credit : _bound(amount, RATE, credit);
        IStargatePoolV2.TargetCredit[] memory batch = new IStargatePoolV2.TargetCredit[](1);
        batch[0] = IStargatePoolV2.TargetCredit(POOL.localEid(), uint64(amount / RATE), 0);
        IStargatePoolV2.Credit[] memory sent = POOL.sendCredits(REMOTE_EID, batch);
        assertEq(sent.length, 1, "sendCredits sent nothing");
        creditAway += uint256(sent[0].amount) * RATE;
        assertEq(POOL.redeemable(address(0)), credit - uint256(sent[0].amount) * RATE, "local credit did not fall");
        ++effectiveCalls[_action];
    }

    /// @notice A bridger on the far chain spends credit the planner sent there: the pool pays the bridger here
    /// (`receiveTokenTaxi`, as TokenMessaging delivers it) out of its balance; local credit does not move.
    function bridgerPaid(uint256 amount) external action("bridgerPaid") {
        if (_paused() || creditAway < RATE) return;
        amount = _bound(amount, RATE, creditAway);
        amount -= amount % RATE;
        uint256 credit = POOL.redeemable(address(0));
        uint256 before = ASSET.balanceOf(BRIDGER);
        POOL.receiveTokenTaxi(
            IStargatePoolV2.Origin(REMOTE_EID, bytes32(uint256(1)), ++_nonce),
            keccak256(abi.encode(_nonce)),
            BRIDGER,
            uint64(amount / RATE),
            ""
        );
        assertEq(ASSET.balanceOf(BRIDGER) - before, amount, "the bridger was not paid");
        assertEq(POOL.redeemable(address(0)), credit, "a payout here moved the local credit");
        creditAway -= amount;
        ++effectiveCalls[_action];
    }

    /// @notice The planner brings unspent credit back from the far chain (`receiveCredits`).
    function moveCreditBack(uint256 amount) external action("moveCreditBack") {
        if (_paused() || creditAway < RATE) return;
        amount = amount % 3 == 0 ? creditAway : _bound(amount, RATE, creditAway);
        amount -= amount % RATE;
        IStargatePoolV2.Credit[] memory batch = new IStargatePoolV2.Credit[](1);
        batch[0] = IStargatePoolV2.Credit(POOL.localEid(), uint64(amount / RATE));
        POOL.receiveCredits(REMOTE_EID, batch);
        creditAway -= amount;
        ++effectiveCalls[_action];
    }

    /// @notice An outside LP deposits into the pool (adding credit) or redeems what credit allows (taking it).
    function outsiderLp(uint256 amount, bool enter) external action("outsiderLp") {
        if (_paused()) return;
        if (enter) {
            amount = _bound(amount, RATE, MAX_AMOUNT);
            ASSET.mint(OUTSIDER, amount);
            vm.startPrank(OUTSIDER);
            ASSET.approve(address(POOL), amount);
            POOL.deposit(OUTSIDER, amount);
            vm.stopPrank();
        } else {
            uint256 max = POOL.redeemable(OUTSIDER);
            if (max < RATE) return;
            vm.prank(OUTSIDER);
            POOL.redeem(_bound(amount, RATE, max), OUTSIDER);
        }
        ++effectiveCalls[_action];
    }

    /// @notice The planner pauses the pool (one call in three) or reopens it (`setPause`).
    function setPoolPaused(uint256 seed) external action("setPoolPaused") {
        POOL.setPause(seed % 3 == 0);
        ++effectiveCalls[_action];
    }

    /// @notice Asset lands loose on the adapter (redeemed dust, a donation): a gain the next report realises. At most
    /// 2% of totalAssets (at least 1 wei), so that most gains fit the 10% one-report limit.
    function donateToAdapter(uint256 amount) external action("donateToAdapter") {
        amount = _bound(amount, 1, Math.max(VAULT.totalAssets() / 50, 1));
        ASSET.mint(address(ADAPTER), amount);
        ++effectiveCalls[_action];
    }

    function warp(uint256 secondsToPass) external action("warp") {
        currentTime += _bound(secondsToPass, 1, 10 days);
        vm.warp(currentTime);
        vm.roll(block.number + 1);
        ++effectiveCalls[_action];
    }

    // ================================================================== internal

    function _paused() internal view returns (bool) {
        return POOL.status() == 3;
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
