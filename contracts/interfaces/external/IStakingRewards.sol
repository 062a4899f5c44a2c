// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IStakingRewards
/// @notice The Synthetix StakingRewards shape (Synthetixio/synthetix StakingRewards.sol), the common form of token
/// staking programs on rollups: one staking token, one reward token streamed at `rewardRate` until `periodFinish`,
/// shared pro rata by stake.
/// @dev Rewards that stream while nobody stakes are lost (nobody accrues them). `stake` is `notPaused` (the owner
/// can pause it; `withdraw` and `getReward` stay open); `stake(0)` and `withdraw(0)` revert. No cooldown.
interface IStakingRewards {
    /// @notice Stakes `amount` of the staking token from the caller.
    function stake(uint256 amount) external;

    /// @notice Returns `amount` of the caller's stake to the caller.
    function withdraw(uint256 amount) external;

    /// @notice Pays the caller's accrued rewards in the reward token.
    function getReward() external;

    /// @notice Rewards `account` has accrued and not yet claimed.
    function earned(address account) external view returns (uint256);

    /// @notice Stake of `account`.
    function balanceOf(address account) external view returns (uint256);

    /// @notice Total stake.
    function totalSupply() external view returns (uint256);

    /// @notice The token rewards are paid in.
    function rewardsToken() external view returns (address);

    /// @notice The token that is staked.
    function stakingToken() external view returns (address);

    /// @notice Reward tokens streamed per second until `periodFinish`.
    function rewardRate() external view returns (uint256);

    /// @notice End of the current reward period.
    function periodFinish() external view returns (uint256);

    /// @notice Whether the owner paused staking.
    function paused() external view returns (bool);
}
