// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAsyncAdapter} from "./IAsyncAdapter.sol";

/// @title IStakingAdapter
/// @notice Adapter into a StakingRewards-shaped staking program over the vault's asset, optionally gated by a
/// stkAAVE-style cooldown (see ICooldownStaking).
/// @dev HOLDINGS. totalAssets = staked + loose asset in the adapter (unclaimed rewards are not counted).
/// RELEASABLE. Without a cooldown: staked + loose. With a cooldown: loose, plus the stake while it is inside its
/// unstake window; zero stake is releasable while it cools down or once the window has passed.
/// COOLDOWN. It covers the adapter's whole stake, so `prepareRelease(assets)` starts one for everything whatever
/// `assets` is, and does nothing while one is cooling or in its window (restarting would push the exit back).
/// A new stake during a cooldown would move its start later, so while a cooldown is active (from `cooldown()` to
/// the end of its window) allocations stay loose in the adapter: liquid, not earning, staked by the first
/// allocation after the window.
/// REWARDS. `harvest` claims and forwards the reward token to the receiver; a reward paid in the asset stays loose
/// in the adapter, reaches the share price through a report and is staked at the next allocation.
/// VOTES. Staked tokens' voting power sits with the staking contract, not with the adapter or the vault; only
/// loose tokens can be delegated, through `delegateVotes`.
interface IStakingAdapter is IAsyncAdapter {
    /// @notice `caller` is not the vault's owner.
    error NotVaultOwner(address caller);
    /// @notice The cooldown mode asked (`expected`) is not the one the staking program has (`detected`).
    error CooldownMismatch(bool expected, bool detected);

    /// @notice A cooldown of the whole stake `staked` started; it becomes releasable at `readyAt`.
    event CooldownStarted(uint256 staked, uint256 readyAt);
    /// @notice `assets` were staked.
    event Staked(uint256 assets);
    /// @notice The adapter's loose-token voting power was delegated to `delegatee`.
    event AdapterVotesDelegated(address indexed delegatee);

    /// @notice The staking program.
    function STAKING() external view returns (address);

    /// @notice The token rewards are paid in.
    function REWARD_TOKEN() external view returns (address);

    /// @notice Whether the staking program gates exits by a cooldown.
    function HAS_COOLDOWN() external view returns (bool);

    /// @notice Stake the adapter holds in the staking program.
    function staked() external view returns (uint256);

    /// @notice Whether a cooldown is active: started and its unstake window not yet over.
    function cooldownActive() external view returns (bool);

    /// @notice Delegates the voting power of the asset tokens the adapter holds loose (an ERC20Votes asset) to
    /// `delegatee`. Vault owner only.
    /// @dev Staked tokens sit in the staking contract, which holds their votes; this reaches only loose tokens
    /// (allocations kept loose during a cooldown, asset rewards not yet staked).
    function delegateVotes(address delegatee) external;
}
