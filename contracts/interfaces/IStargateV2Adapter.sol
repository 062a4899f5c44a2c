// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAdapter} from "./IAdapter.sol";
import {IInKindAdapter} from "./IInKindAdapter.sol";

/// @title IStargateV2Adapter
/// @notice An adapter that provides a vault's asset as Stargate V2 bridge liquidity and stakes the LP in
/// StargateStaking. An ERC-20 pool (USDC, USDT) serves a vault over that token; the native ETH pool serves a WETH vault
/// (WETH is unwrapped on the way in and wrapped on the way out).
/// @dev VALUE. LP is minted 1:1 in local decimals and never grows in value, so totalAssets = staked LP + unstaked LP +
/// loose asset (for a WETH vault, loose ETH too). The yield is the farm's reward tokens, sent out by `harvest`.
/// LIQUIDITY. Redemptions are capped by the pool's local credit (`redeemable(address(0))`), which rises with deposits
/// and sends from this chain and falls with redeems and the planner's `sendCredits` to other chains (payouts to
/// bridgers arriving here cut the pool's balance, not its credit): `releasable` reports at most that credit, so the
/// vault's maxWithdraw stays truthful while liquidity is away. Circle's USDC pause or blacklist of the adapter makes
/// it zero, the planner's pause leaves only what the adapter holds.
/// REWARDS. StargateStaking pushes every pending reward on each stake, unstake and claim. Before each of them the
/// adapter lists the tokens the rewarder is about to pay THIS LP (`getRewards(lp, adapter)`, not the rewarder's
/// chain-wide list of up to 100 tokens), up to MAX_REWARD_TOKENS; `harvest` forwards its whole held balance of each
/// listed token. A token that finds the list full is skipped, never a revert; the curator prunes ended tokens and
/// lists a stuck one, which the next harvest sends to the holders (no token ever goes to an operator).
/// IN KIND. The position is the pool's LP, worth its amount in the asset and freely transferable: the vault's
/// `redeemInKind` has the adapter unstake LP from the farm and hand it to an exiting holder (IInKindAdapter), who redeems
/// it once local credit is back or bridges it out at once with the pool's `redeemSend` over a path with credit
/// (`inKindBridgeable(eid)`). Rewards the farm pushes on that unstake stay in the adapter for the next harvest.
interface IStargateV2Adapter is IAdapter, IInKindAdapter {
    /// @notice `caller` may not do this (the emergency exit: the vault, its owner or guardian; the reward list: the
    /// curator).
    error Unauthorized(address caller);
    /// @notice The emergency exit has already been done.
    error AlreadyExited();
    /// @notice The adapter takes no new assets after its emergency exit.
    error AdapterExited();
    /// @notice StargateStaking has no staking pool for `lpToken`.
    error LpNotStakable(address lpToken);
    /// @notice Listing one more reward token would exceed `max` tokens (`count` asked for).
    error TooManyRewardTokens(uint256 count, uint256 max);
    /// @notice `token` cannot be a reward token (zero, the asset or the LP token).
    error InvalidRewardToken(address token);
    /// @notice `token` is already a listed reward token.
    error RewardTokenListed(address token);
    /// @notice `token` is not a listed reward token.
    error RewardTokenNotListed(address token);

    /// @notice The LP left StargateStaking by `emergencyWithdraw` (pending rewards forfeited) and stays in the adapter.
    event EmergencyExited(address indexed caller, uint256 lpAmount);
    /// @notice `token` joined the reward tokens `harvest` forwards.
    event RewardTokenAdded(address indexed token);
    /// @notice The curator took `token` off the reward tokens (what the adapter holds of it stays until it is listed
    /// again).
    event RewardTokenRemoved(address indexed token);
    /// @notice The rewarder pays this LP `token`, but the list is full: its pushes stay in the adapter until the
    /// curator prunes a slot and lists it.
    event RewardTokenSkipped(address indexed token);
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

    /// @notice The listed reward tokens (native ETH listed as WETH), whose whole held balance each `harvest` forwards.
    /// @dev Kept after the rewarder ends or stops a token, so rewards pushed earlier are never stranded, until the
    /// curator removes it.
    function rewardTokens() external view returns (address[] memory);

    /// @notice Lists `token` so that the next `harvest` forwards what the adapter holds of it to the vault's rewards
    /// receiver: how a token pushed while the list was full, or sent by anyone, reaches the holders.
    /// @dev Only the vault's curator. Reverts for the zero address, the asset, the LP token, a listed token, or a
    /// full list. List WETH to recover ETH held by a non-WETH vault's adapter.
    /// @param token The ERC-20 to list.
    function addRewardToken(address token) external;

    /// @notice Takes `token` off the list (an ended campaign, to free a slot). If the rewarder pays it again, the next
    /// sync lists it again.
    /// @dev Only the vault's curator. Reverts if `token` is not listed.
    /// @param token The listed token to remove.
    function removeRewardToken(address token) external;

    /// @notice Takes the LP out of StargateStaking with `emergencyWithdraw` (pending rewards are forfeited, as the
    /// farm does) and keeps it in the adapter: it still counts in totalAssets and `deallocate` redeems it directly.
    /// @dev Callable by the vault, its owner or its guardian (read from the vault). After it, `allocate` reverts.
    function emergencyExit() external;
}
