// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IAdapter} from "../interfaces/IAdapter.sol";
import {IAsyncAdapter} from "../interfaces/IAsyncAdapter.sol";
import {IStakingAdapter} from "../interfaces/IStakingAdapter.sol";
import {IVaultAdmin} from "../interfaces/IVaultAdmin.sol";
import {IAaveStakedToken} from "../interfaces/external/IAaveStakedToken.sol";
import {IStakingRewards} from "../interfaces/external/IStakingRewards.sol";
import {BaseAdapter} from "./BaseAdapter.sol";

/// @title StakingAdapter
/// @notice Stakes a vault's asset in a Synthetix StakingRewards program (plain mode) or in an Aave cooldown staking
/// token shaped like the deployed stkAAVE (cooldown mode). Each mode speaks its program's real ABI, nothing mixed.
/// @dev See IStakingAdapter for holdings, liquidity, cooldown handling and rewards.
contract StakingAdapter is BaseAdapter, IStakingAdapter {
    using SafeERC20 for IERC20;

    /// @inheritdoc IStakingAdapter
    address public immutable STAKING;
    /// @inheritdoc IStakingAdapter
    address public immutable REWARD_TOKEN;
    /// @inheritdoc IStakingAdapter
    bool public immutable HAS_COOLDOWN;

    /// @param vault_ The vault to serve.
    /// @param staking_ The staking program; its staking token must be the vault's asset.
    /// @param hasCooldown_ False: a Synthetix StakingRewards program (`stakingToken`, `rewardsToken`). True: an Aave
    /// cooldown staking token (`STAKED_TOKEN`, `REWARD_TOKEN`, `COOLDOWN_SECONDS`). Checked against the program.
    constructor(address vault_, address staking_, bool hasCooldown_) BaseAdapter(vault_) {
        if (staking_ == address(0)) revert ZeroAddress();
        // The mode must match the program: the other ABI would revert, or a cooldown ignored would overstate
        // `releasable`.
        bool detected;
        try IAaveStakedToken(staking_).COOLDOWN_SECONDS() returns (uint256) {
            detected = true;
        } catch {}
        if (detected != hasCooldown_) revert CooldownMismatch(hasCooldown_, detected);
        address stakingToken;
        address rewardToken;
        if (hasCooldown_) {
            // The v1.5 shape (exchange rate, slashing period): an older stkAAVE answers neither.
            try IAaveStakedToken(staking_).previewRedeem(1) returns (uint256) {} catch {
                revert UnsupportedCooldownProgram(staking_);
            }
            try IAaveStakedToken(staking_).inPostSlashingPeriod() returns (bool) {} catch {
                revert UnsupportedCooldownProgram(staking_);
            }
            stakingToken = IAaveStakedToken(staking_).STAKED_TOKEN();
            rewardToken = IAaveStakedToken(staking_).REWARD_TOKEN();
        } else {
            stakingToken = IStakingRewards(staking_).stakingToken();
            rewardToken = IStakingRewards(staking_).rewardsToken();
        }
        if (stakingToken != ASSET) revert AssetMismatch(ASSET, stakingToken);
        STAKING = staking_;
        REWARD_TOKEN = rewardToken;
        HAS_COOLDOWN = hasCooldown_;
    }

    // ================================================================== views

    /// @inheritdoc BaseAdapter
    /// @dev A staking balance is the asset itself: the stake never falls.
    function cannotLose() public pure override returns (bool) {
        return true;
    }

    /// @inheritdoc IAdapter
    function totalAssets() external view returns (uint256) {
        return staked() + _loose();
    }

    /// @inheritdoc IAdapter
    function releasable() external view returns (uint256) {
        return _releasableStake() + _loose();
    }

    /// @inheritdoc IAsyncAdapter
    /// @dev Cooldown mode, with a cooldown cooling: (the assets of the shares it covers, first second of its window).
    /// Otherwise nothing is pending: no cooldown is needed, none is running, or its window is open or over.
    function pendingRelease() external view returns (uint256 assets, uint256 readyAt) {
        if (!HAS_COOLDOWN) return (0, 0);
        IAaveStakedToken staking = IAaveStakedToken(STAKING);
        if (staking.inPostSlashingPeriod()) return (0, 0);
        (uint40 start, uint216 covered) = staking.stakersCooldowns(address(this));
        if (start == 0) return (0, 0);
        uint256 cooledAt = start + staking.COOLDOWN_SECONDS();
        if (block.timestamp >= cooledAt) return (0, 0);
        return (staking.previewRedeem(Math.min(covered, staking.balanceOf(address(this)))), cooledAt);
    }

    /// @inheritdoc IStakingAdapter
    function staked() public view returns (uint256) {
        if (!HAS_COOLDOWN) return IStakingRewards(STAKING).balanceOf(address(this));
        IAaveStakedToken staking = IAaveStakedToken(STAKING);
        return staking.previewRedeem(staking.balanceOf(address(this)));
    }

    /// @inheritdoc IStakingAdapter
    function cooldownActive() public view returns (bool) {
        if (!HAS_COOLDOWN) return false;
        IAaveStakedToken staking = IAaveStakedToken(STAKING);
        (uint40 start, ) = staking.stakersCooldowns(address(this));
        if (start == 0) return false;
        return block.timestamp <= start + staking.COOLDOWN_SECONDS() + staking.UNSTAKE_WINDOW();
    }

    // ================================================================== vault entry points

    /// @inheritdoc IAdapter
    /// @dev Stakes everything loose (the new assets and asset rewards), unless the program refuses stakes now (a
    /// paused StakingRewards, a cooling token settling a slashing): the assets then stay loose and releasable until
    /// a later allocation. A stake during a cooldown does not move it (the new shares are simply not covered).
    function allocate(uint256) external onlyVault {
        uint256 loose = _loose();
        if (loose == 0) return;
        if (HAS_COOLDOWN) {
            if (IAaveStakedToken(STAKING).inPostSlashingPeriod()) return;
            IERC20(ASSET).forceApprove(STAKING, loose);
            IAaveStakedToken(STAKING).stake(address(this), loose);
        } else {
            if (_paused()) return;
            IERC20(ASSET).forceApprove(STAKING, loose);
            IStakingRewards(STAKING).stake(loose);
        }
        emit Staked(loose);
    }

    /// @inheritdoc IAdapter
    /// @dev Loose assets leave first, then whatever stake is releasable now (cooldown mode: the shares covering the
    /// rest, rounded up, capped at the redeemable ones; what a rounding frees beyond the request stays loose).
    function deallocate(uint256 assets) external onlyVault returns (uint256 freed) {
        uint256 loose = _loose();
        if (assets > loose) {
            uint256 fromStake = Math.min(assets - loose, _releasableStake());
            if (fromStake != 0) {
                if (HAS_COOLDOWN) _redeem(fromStake);
                else IStakingRewards(STAKING).withdraw(fromStake);
            }
            loose = _loose();
        }
        freed = Math.min(loose, assets);
        if (freed != 0) IERC20(ASSET).safeTransfer(VAULT, freed);
    }

    /// @inheritdoc IAdapter
    /// @dev Claims what accrued (cooldown mode: only when something did, as `claimRewards` reverts on zero) and sends
    /// the adapter's whole balance of the reward token (the claim and any earlier leftover). A reward paid in the
    /// asset (stkAAVE's AAVE) stays: nothing is returned then.
    function harvest(address receiver) external onlyVault returns (address[] memory tokens, uint256[] memory amounts) {
        if (HAS_COOLDOWN) {
            if (IAaveStakedToken(STAKING).getTotalRewardsBalance(address(this)) != 0) {
                IAaveStakedToken(STAKING).claimRewards(address(this), type(uint256).max);
            }
        } else {
            IStakingRewards(STAKING).getReward();
        }
        if (REWARD_TOKEN == ASSET) return (tokens, amounts);
        uint256 amount = IERC20(REWARD_TOKEN).balanceOf(address(this));
        if (amount == 0) return (tokens, amounts);
        tokens = new address[](1);
        amounts = new uint256[](1);
        tokens[0] = REWARD_TOKEN;
        amounts[0] = amount;
        IERC20(REWARD_TOKEN).safeTransfer(receiver, amount);
    }

    /// @inheritdoc IAsyncAdapter
    /// @dev Plain mode: stake is always releasable, nothing to do. Cooldown mode: starts a cooldown of every share
    /// held, unless one is still active (cooling or in its window: restarting would push the exit back) or nothing
    /// is staked.
    function prepareRelease(uint256) external onlyVault {
        if (!HAS_COOLDOWN || cooldownActive()) return;
        uint256 stake = staked();
        if (stake == 0) return;
        IAaveStakedToken(STAKING).cooldown();
        emit CooldownStarted(stake, block.timestamp + IAaveStakedToken(STAKING).COOLDOWN_SECONDS());
    }

    // ================================================================== governance

    /// @inheritdoc IStakingAdapter
    function delegateVotes(address delegatee) external {
        if (msg.sender != IVaultAdmin(VAULT).owner()) revert NotVaultOwner(msg.sender);
        emit AdapterVotesDelegated(delegatee);
        IVotes(ASSET).delegate(delegatee);
    }

    // ================================================================== internal

    function _loose() internal view returns (uint256) {
        return IERC20(ASSET).balanceOf(address(this));
    }

    /// @dev Whether the StakingRewards program says it is paused; a program without the flag never is.
    function _paused() internal view returns (bool) {
        (bool ok, bytes memory data) = STAKING.staticcall(abi.encodeCall(IStakingRewards.paused, ()));
        return ok && data.length >= 32 && abi.decode(data, (uint256)) != 0;
    }

    /// @dev The stake (in assets) the program would pay out now, by the same bounds it checks. Plain mode: all of
    /// it. Cooldown mode: everything while a slashing is settled; else the shares the cooldown covers, once cooled
    /// (inclusive) and inside the unstake window; nothing otherwise.
    function _releasableStake() internal view returns (uint256) {
        if (!HAS_COOLDOWN) return IStakingRewards(STAKING).balanceOf(address(this));
        IAaveStakedToken staking = IAaveStakedToken(STAKING);
        uint256 shares = staking.balanceOf(address(this));
        if (staking.inPostSlashingPeriod()) return staking.previewRedeem(shares);
        (uint40 start, uint216 covered) = staking.stakersCooldowns(address(this));
        if (start == 0) return 0;
        uint256 cooledAt = start + staking.COOLDOWN_SECONDS();
        if (block.timestamp < cooledAt || block.timestamp - cooledAt > staking.UNSTAKE_WINDOW()) return 0;
        return staking.previewRedeem(Math.min(covered, shares));
    }

    /// @dev Redeems the shares worth at least `assets` (rounded up), capped at those the program lets go now.
    function _redeem(uint256 assets) internal {
        IAaveStakedToken staking = IAaveStakedToken(STAKING);
        uint256 shares = staking.balanceOf(address(this));
        if (!staking.inPostSlashingPeriod()) {
            (, uint216 covered) = staking.stakersCooldowns(address(this));
            shares = Math.min(shares, covered);
        }
        // previewRedeem(s) = s * 1e18 / rate (rounded down); the smallest s paying `assets` is
        // ceil(assets * rate / 1e18), found from previewStake's floor plus one when it falls short.
        uint256 needed = staking.previewStake(assets);
        if (staking.previewRedeem(needed) < assets) ++needed;
        staking.redeem(address(this), Math.min(needed, shares));
    }
}
