// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAsyncAdapter} from "./IAsyncAdapter.sol";

/// @title IStakingAdapter
/// @notice Adapter into a staking program over the vault's asset, in one of two real ABIs chosen at construction:
/// a Synthetix StakingRewards program (plain mode: exits at any time), or an Aave cooldown staking token shaped like
/// the deployed stkAAVE, StakedTokenV3 / "stk v1.5" (cooldown mode: IAaveStakedToken; stkAAVE itself lives on Ethereum
/// at 0x4da27a545c0c5B758a6BA100e3a049001de870f5 and has no L2 deployment, so on the suite's rollups the mode serves
/// an stkAAVE-shaped program where one exists, and the test-support one elsewhere).
/// @dev HOLDINGS. totalAssets = staked (cooldown mode: the shares at the program's exchange rate, so a slashing shows
/// as a loss) + loose asset in the adapter (unclaimed rewards are not counted).
/// RELEASABLE. Plain mode: staked + loose. Cooldown mode: loose, plus the assets of the shares the cooldown covers
/// from its end (inclusive) through its unstake window, or every share while the program settles a slashing
/// (redeeming then needs no cooldown); nothing of the stake while it cools down or once the window has passed.
/// COOLDOWN. `prepareRelease(assets)` starts one over every share held whatever `assets` is, and does nothing while
/// one is active (cooling or in its window: restarting would push the exit back). Shares staked during a cooldown are
/// not covered by it (the program snapshots the balance at `cooldown()`); they need the next one.
/// STAKING. Allocations stake everything loose, unless the program refuses stakes now (a paused StakingRewards; a
/// cooldown token settling a slashing): the assets then stay loose, liquid, until a later allocation.
/// REWARDS. `harvest` claims and forwards the reward token to the receiver; a reward paid in the asset (as stkAAVE
/// pays AAVE) stays loose in the adapter, reaches the share price through a report and is staked at the next
/// allocation.
/// VOTES. Staked tokens' voting power sits with the staking contract, not with the adapter or the vault; only
/// loose tokens can be delegated, through `delegateVotes`.
interface IStakingAdapter is IAsyncAdapter {
    /// @notice `program` is not an Aave cooldown staking token of the v1.5 shape (`previewRedeem`,
    /// `inPostSlashingPeriod`).
    error UnsupportedCooldownProgram(address program);
    /// @notice `caller` is not the vault's owner.
    error NotVaultOwner(address caller);
    /// @notice The mode asked (`expected`: true for an Aave cooldown staking token) is not the program's
    /// (`detected`: whether it answers `COOLDOWN_SECONDS`).
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

    /// @notice Whether the program is an Aave cooldown staking token (true) or a Synthetix StakingRewards (false).
    function HAS_COOLDOWN() external view returns (bool);

    /// @notice Stake the adapter holds in the staking program, in assets (cooldown mode: its shares at the
    /// program's exchange rate, rounded down).
    function staked() external view returns (uint256);

    /// @notice Whether a cooldown is active: started and its unstake window not yet over.
    function cooldownActive() external view returns (bool);

    /// @notice Delegates the voting power of the asset tokens the adapter holds loose (an ERC20Votes asset) to
    /// `delegatee`. Vault owner only.
    /// @dev Staked tokens sit in the staking contract, which holds their votes; this reaches only loose tokens
    /// (allocations kept loose during a cooldown, asset rewards not yet staked).
    function delegateVotes(address delegatee) external;
}
