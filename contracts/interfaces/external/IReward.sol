// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IReward
/// @notice A Velodrome / Aerodrome voting reward contract (fees or incentives of one gauge): rewards notified during
/// an epoch go to the votes standing at its end, pro rata, claimable once the epoch is over.
interface IReward {
    /// @notice Pays `tokenId`'s earned `tokens` to its owner (the Voter or the NFT's owner or approved only).
    function getReward(uint256 tokenId, address[] memory tokens) external;

    /// @notice `token` earned by `tokenId` over finished epochs and not yet claimed.
    function earned(address token, uint256 tokenId) external view returns (uint256);

    /// @notice Adds `amount` of `token` to the current epoch's rewards.
    function notifyRewardAmount(address token, uint256 amount) external;

    /// @notice Number of reward tokens this contract has seen.
    function rewardsListLength() external view returns (uint256);

    /// @notice Reward token at `index`.
    function rewards(uint256 index) external view returns (address);
}
