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
import {ICooldownStaking} from "../interfaces/external/ICooldownStaking.sol";
import {IStakingRewards} from "../interfaces/external/IStakingRewards.sol";
import {BaseAdapter} from "./BaseAdapter.sol";

/// @title StakingAdapter
/// @notice Stakes a vault's asset in a StakingRewards-shaped program, optionally behind a stkAAVE-style cooldown.
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
    /// @param hasCooldown_ Whether the program gates `withdraw` by an ICooldownStaking cooldown; checked against the
    /// program's `COOLDOWN_SECONDS` (absent or zero: no cooldown).
    constructor(address vault_, address staking_, bool hasCooldown_) BaseAdapter(vault_) {
        if (staking_ == address(0)) revert ZeroAddress();
        address stakingToken = IStakingRewards(staking_).stakingToken();
        if (stakingToken != ASSET) revert AssetMismatch(ASSET, stakingToken);
        // The mode must match the program: a cooldown the adapter ignores would make `releasable` overstate.
        bool detected;
        try ICooldownStaking(staking_).COOLDOWN_SECONDS() returns (uint256 cooldownSeconds) {
            detected = cooldownSeconds != 0;
        } catch {}
        if (detected != hasCooldown_) revert CooldownMismatch(hasCooldown_, detected);
        STAKING = staking_;
        REWARD_TOKEN = IStakingRewards(staking_).rewardsToken();
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
    /// @dev With a cooldown cooling: (stake, first second of its window). Otherwise nothing is pending: either no
    /// cooldown is needed, none is running, its stake is already releasable (window open) or the window passed.
    function pendingRelease() external view returns (uint256 assets, uint256 readyAt) {
        if (!HAS_COOLDOWN) return (0, 0);
        uint256 start = ICooldownStaking(STAKING).stakersCooldowns(address(this));
        if (start == 0) return (0, 0);
        uint256 cooledAt = start + ICooldownStaking(STAKING).COOLDOWN_SECONDS();
        if (block.timestamp > cooledAt) return (0, 0);
        return (staked(), cooledAt + 1);
    }

    /// @inheritdoc IStakingAdapter
    function staked() public view returns (uint256) {
        return IStakingRewards(STAKING).balanceOf(address(this));
    }

    /// @inheritdoc IStakingAdapter
    function cooldownActive() public view returns (bool) {
        if (!HAS_COOLDOWN) return false;
        uint256 start = ICooldownStaking(STAKING).stakersCooldowns(address(this));
        if (start == 0) return false;
        ICooldownStaking staking = ICooldownStaking(STAKING);
        return block.timestamp <= start + staking.COOLDOWN_SECONDS() + staking.UNSTAKE_WINDOW();
    }

    // ================================================================== vault entry points

    /// @inheritdoc IAdapter
    /// @dev Stakes everything loose (the new assets and asset rewards), unless a cooldown is active: a stake would
    /// move the cooldown's start later, so the assets then stay loose until an allocation after the window.
    function allocate(uint256) external onlyVault {
        if (cooldownActive()) return;
        uint256 loose = _loose();
        if (loose == 0) return;
        IERC20(ASSET).forceApprove(STAKING, loose);
        IStakingRewards(STAKING).stake(loose);
        emit Staked(loose);
    }

    /// @inheritdoc IAdapter
    /// @dev Loose assets leave first, then whatever stake is releasable now.
    function deallocate(uint256 assets) external onlyVault returns (uint256 freed) {
        uint256 fromLoose = Math.min(_loose(), assets);
        uint256 fromStake = Math.min(assets - fromLoose, _releasableStake());
        if (fromStake != 0) IStakingRewards(STAKING).withdraw(fromStake);
        freed = fromLoose + fromStake;
        if (freed != 0) IERC20(ASSET).safeTransfer(VAULT, freed);
    }

    /// @inheritdoc IAdapter
    /// @dev Sends the adapter's whole balance of the reward token (the claim and any earlier leftover). A reward
    /// paid in the asset stays: nothing is returned then.
    function harvest(address receiver) external onlyVault returns (address[] memory tokens, uint256[] memory amounts) {
        IStakingRewards(STAKING).getReward();
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
    /// @dev Without a cooldown, stake is always releasable: nothing to do. With one, starts a cooldown of the whole
    /// stake unless one is already active or nothing is staked.
    function prepareRelease(uint256) external onlyVault {
        if (!HAS_COOLDOWN || cooldownActive()) return;
        uint256 stake = staked();
        if (stake == 0) return;
        ICooldownStaking(STAKING).cooldown();
        emit CooldownStarted(stake, block.timestamp + ICooldownStaking(STAKING).COOLDOWN_SECONDS() + 1);
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

    /// @dev The stake `withdraw` would accept now: all of it without a cooldown, all of it inside the unstake
    /// window with one (the same bounds the staking contract checks), nothing otherwise.
    function _releasableStake() internal view returns (uint256) {
        if (!HAS_COOLDOWN) return staked();
        ICooldownStaking staking = ICooldownStaking(STAKING);
        uint256 start = staking.stakersCooldowns(address(this));
        if (start == 0) return 0;
        uint256 cooledAt = start + staking.COOLDOWN_SECONDS();
        if (block.timestamp <= cooledAt || block.timestamp - cooledAt > staking.UNSTAKE_WINDOW()) return 0;
        return staked();
    }
}
