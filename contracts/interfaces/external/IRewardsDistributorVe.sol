// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IRewardsDistributorVe
/// @notice The Velodrome / Aerodrome RewardsDistributor: weekly rebases owed to veNFTs (named apart from the vault's
/// own IRewardsDistributor).
/// @dev `claim` adds the rebase to the NFT's lock (`depositFor`), or, if the lock has expired and is not permanent,
/// pays it in the token to the NFT's owner. It reverts (`UpdatePeriod`) while the minter's `activePeriod` is before
/// the current epoch's start, i.e. at each epoch flip until anyone calls `Minter.updatePeriod`.
interface IRewardsDistributorVe {
    /// @notice Claims the rebase of `tokenId`.
    function claim(uint256 tokenId) external returns (uint256);

    /// @notice Rebase `tokenId` could claim now.
    function claimable(uint256 tokenId) external view returns (uint256);

    /// @notice The Minter, whose `activePeriod` gates `claim`.
    function minter() external view returns (address);
}

/// @title IMinterPeriod
/// @notice The Velodrome / Aerodrome Minter's epoch bookkeeping.
interface IMinterPeriod {
    /// @notice Start of the last epoch the Minter has been updated for.
    function activePeriod() external view returns (uint256);
}
