// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title IStargateStaking
/// @notice The part of Stargate V2's LP staking farm (StargateStaking) that an LP vault needs.
/// @dev Facts from stargate-protocol/stargate-v2 (src/peripheral/rewarder/StargateStaking.sol, lib/StakingLib.sol):
/// `deposit`, `withdraw` and `claim` call the pool's rewarder `onUpdate`, which pushes ALL the caller's pending
/// rewards to the caller (native ETH with a plain call); `emergencyWithdraw` skips the rewarder, forfeiting them.
/// Every function reverts for an LP token that has no staking pool.
interface IStargateStaking {
    /// @notice Stakes `amount` of `token` (transferFrom the caller) and pushes the caller's pending rewards.
    function deposit(IERC20 token, uint256 amount) external;

    /// @notice Unstakes `amount` of `token` to the caller and pushes the caller's pending rewards.
    function withdraw(IERC20 token, uint256 amount) external;

    /// @notice Unstakes the caller's whole balance of `token` without informing the rewarder (rewards forfeited).
    function emergencyWithdraw(IERC20 token) external;

    /// @notice Pushes the caller's pending rewards for each of `lpTokens`.
    function claim(IERC20[] calldata lpTokens) external;

    /// @notice `user`'s staked balance of `token`.
    function balanceOf(IERC20 token, address user) external view returns (uint256);

    /// @notice Total staked balance of `token`.
    function totalSupply(IERC20 token) external view returns (uint256);

    /// @notice The rewarder of `token`'s staking pool (an IRewarder; address(0) if there is no pool). The owner may
    /// replace it, so it is read when needed, never stored.
    function rewarder(IERC20 token) external view returns (address);
}
