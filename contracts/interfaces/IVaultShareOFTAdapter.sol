// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IVaultShareOFTAdapter
/// @notice What `VaultShareOFTAdapter` adds to LayerZero's `OFTAdapter`: shares locked here for holders on other
/// chains earn the vault's streamed rewards in the adapter's name, which no holder can claim on its chain;
/// `restreamRewards` hands them back to the distributor, which streams them again to the vault's holders.
interface IVaultShareOFTAdapter {
    /// @notice The vault has no rewards distributor: there is nothing to restream.
    error NoRewardsDistributor();

    /// @notice The adapter's rewards `amounts` in `tokens` went back to `distributor`, to stream again from the next
    /// notify of each token (the vault's next harvest bringing it).
    event RewardsRestreamed(address indexed distributor, address[] tokens, uint256[] amounts);

    /// @notice Claims the rewards earned by the shares locked here, in each of `tokens`, into the vault's rewards
    /// distributor itself: they leave the adapter's books and become the distributor's unaccounted balance, which its
    /// next notify of the token streams to the vault's holders (the adapter's shares included, so a part comes back
    /// here, to be restreamed again). Anyone may call it; it moves nothing but those rewards.
    /// @dev Reverts like the distributor's `claim` for a token it does not list. A token no later harvest brings
    /// waits in the distributor until one does. The share-transfer hook is unchanged: nothing is spent on transfers.
    /// @param tokens Reward tokens of the distributor.
    /// @return amounts What went back, per token.
    function restreamRewards(address[] calldata tokens) external returns (uint256[] memory amounts);
}
