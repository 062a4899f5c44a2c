// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAdapter} from "./IAdapter.sol";

/// @title IStargateV2Adapter
/// @notice An adapter that provides a vault's asset as Stargate V2 bridge liquidity and stakes the LP in
/// StargateStaking. An ERC-20 pool (USDC, USDT) serves a vault over that token; the native ETH pool serves a WETH vault
/// (WETH is unwrapped on the way in and wrapped on the way out).
/// @dev VALUE. LP is minted 1:1 in local decimals and never grows in value, so totalAssets = staked LP + unstaked LP +
/// loose asset (for a WETH vault, loose ETH too). The yield is the farm's reward tokens, sent out by `harvest`.
/// LIQUIDITY. Redemptions are capped by the pool's local credit, which bridge outflows consume: `releasable` reports
/// at most that credit, so the vault's maxWithdraw stays truthful while liquidity is away.
/// REWARDS. StargateStaking pushes every pending reward on each stake, unstake and claim. The adapter keeps whatever
/// arrives and `harvest` forwards its whole held balance of each reward token it has ever seen.
interface IStargateV2Adapter is IAdapter {
    /// @notice `caller` may not trigger the emergency exit (only the vault, its owner or its guardian may).
    error Unauthorized(address caller);
    /// @notice The emergency exit has already been done.
    error AlreadyExited();
    /// @notice The adapter takes no new assets after its emergency exit.
    error AdapterExited();
    /// @notice StargateStaking has no staking pool for `lpToken`.
    error LpNotStakable(address lpToken);
    /// @notice Keeping every reward token seen would exceed `max` tokens (`count` asked for).
    error TooManyRewardTokens(uint256 count, uint256 max);

    /// @notice The LP left StargateStaking by `emergencyWithdraw` (pending rewards forfeited) and stays in the adapter.
    event EmergencyExited(address indexed caller, uint256 lpAmount);
    /// @notice `token` joined the reward tokens `harvest` forwards.
    event RewardTokenAdded(address indexed token);
    /// @notice Reward tokens were forwarded to `receiver`.
    event RewardsHarvested(address indexed receiver, address[] tokens, uint256[] amounts);

    /// @notice The Stargate V2 pool the asset goes into.
    function POOL() external view returns (address);

    /// @notice The StargateStaking farm the LP is staked in.
    function STAKING() external view returns (address);

    /// @notice The pool's LP token.
    function LP_TOKEN() external view returns (address);

    /// @notice Wrapped ether: the vault's asset over a native pool; the wrapper for native ETH rewards otherwise.
    function WETH() external view returns (address);

    /// @notice Whether the pool holds native ETH (then the vault's asset is WETH).
    function NATIVE() external view returns (bool);

    /// @notice 10^(local decimals - shared decimals): the pool drops amounts below it as dust.
    function CONVERT_RATE() external view returns (uint256);

    /// @notice Most distinct reward tokens the adapter keeps track of.
    function MAX_REWARD_TOKENS() external view returns (uint256);

    /// @notice Whether the emergency exit has been done (LP unstaked for good).
    function exited() external view returns (bool);

    /// @notice Every reward token seen so far (native ETH listed as WETH), forwarded by each `harvest`.
    /// @dev Kept even after the rewarder stops a token, so rewards pushed earlier are never stranded.
    function rewardTokens() external view returns (address[] memory);

    /// @notice Takes the LP out of StargateStaking with `emergencyWithdraw` (pending rewards are forfeited, as the
    /// farm does) and keeps it in the adapter: it still counts in totalAssets and `deallocate` redeems it directly.
    /// @dev Callable by the vault, its owner or its guardian (read from the vault). After it, `allocate` reverts.
    function emergencyExit() external;
}
