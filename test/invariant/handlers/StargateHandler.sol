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
import {MockStargatePool} from "../../../contracts/test-support/stargate/MockStargatePool.sol";

/// @title StargateHandler
/// @notice Drives a RollupVault whose one adapter is the real StargateV2Adapter over the Stargate mocks (pool with
/// drainable local credit, staking, a multirewarder streaming a farm token) through random deposits, withdrawals,
/// redemptions, allocations, deallocations, reports, credit drains and refills (the bridge moving liquidity away and
/// back), an outside LP entering and leaving the pool, pool pauses, loose asset landing on the adapter, and time.
/// @dev 18-decimal asset over a pool with 6 shared decimals, so every pool amount is a multiple of 1e12 and the
/// adapter keeps the dust loose. Credit moves in whole shared-decimal units, as the real pool counts it. The handler
/// is the vault's allocator and keeper; with `fail_on_revert` any unexpected revert fails the campaign.
contract StargateHandler is Test {
    IRollupVault public immutable VAULT;
    MockERC20 public immutable ASSET;
    StargateV2Adapter public immutable ADAPTER;
    MockStargatePool public immutable POOL;
    IERC20 public immutable LP;
    uint256 public immutable UNIT;
    uint256 public immutable MAX_AMOUNT;
    /// @notice The pool's local-to-shared conversion rate (1e12 here).
    uint256 public constant RATE = 1e12;

    address[] internal _holders;
    /// @notice An LP of the same pool outside the vault, whose deposits and redemptions move the shared credit.
    address public immutable OUTSIDER;
    /// @notice Where drained credit goes (the other side of the bridge).
    address public immutable BRIDGE;

    uint256 public currentTime;
    mapping(string name => uint256) public effectiveCalls;
    string internal _action;

    constructor(
        IRollupVault vault_,
        MockERC20 asset_,
        StargateV2Adapter adapter_,
        MockStargatePool pool_,
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
        BRIDGE = makeAddr("bridge");
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

    // ================================================================== allocator and keeper

    /// @notice Allocates part or all of the idle (the pool refuses deposits while paused, so not then).
    function allocate(uint256 assets) external action("allocate") {
        uint256 idle = VAULT.totalIdle();
        if (idle == 0 || VAULT.isShutdown() || POOL.status() == 3) return;
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

    /// @notice The bridge takes some or all of the pool's local credit to another chain.
    function drainCredit(uint256 amount) external action("drainCredit") {
        uint256 credit = POOL.credit();
        if (credit < RATE) return;
        amount = amount % 3 == 0 ? credit : _bound(amount, 1, credit);
        amount -= amount % RATE;
        if (amount == 0) return;
        POOL.drainCredit(amount, BRIDGE);
        ++effectiveCalls[_action];
    }

    /// @notice Liquidity comes back from another chain: 1 to 10 million whole tokens of credit.
    function refillCredit(uint256 amount) external action("refillCredit") {
        amount = _bound(amount, RATE, MAX_AMOUNT);
        amount -= amount % RATE;
        ASSET.mint(address(this), amount);
        ASSET.approve(address(POOL), amount);
        POOL.refillCredit(amount);
        ++effectiveCalls[_action];
    }

    /// @notice An outside LP deposits into the pool (adding credit) or redeems what credit allows (taking it).
    function outsiderLp(uint256 amount, bool enter) external action("outsiderLp") {
        if (POOL.status() == 3) return;
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

    /// @notice The pool pauses (one call in three) or reopens.
    function setPoolPaused(uint256 seed) external action("setPoolPaused") {
        POOL.setPaused(seed % 3 == 0);
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
